package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.skill.SkillPermission;
import dev.switchboard.skill.SkillPermission.Level;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the skill permission store must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SkillPermissionStoreContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected JdbcStore store;

    protected abstract JdbcStore openStore() throws Exception;

    protected abstract void dropDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = openStore();
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    @Test
    void anOverrideIsStoredReplacedListedInOrderAndRemoved() {
        JdbcSkillPermissionStore permissions = store.skillPermissions();
        permissions.save(new SkillPermission("web", "http_request", Level.DENY, "usr_a", T0));
        permissions.save(new SkillPermission("web", "*", Level.ASK, "usr_a", T0));
        permissions.save(new SkillPermission("files", "read_file", Level.ALLOW, "usr_a", T0));
        permissions.save(new SkillPermission("web", "http_request", Level.ALLOW, "usr_b", T0.plusSeconds(5)));

        assertThat(permissions.list()).containsExactly(
                new SkillPermission("files", "read_file", Level.ALLOW, "usr_a", T0),
                new SkillPermission("web", "*", Level.ASK, "usr_a", T0),
                new SkillPermission("web", "http_request", Level.ALLOW, "usr_b", T0.plusSeconds(5)));

        assertThat(permissions.delete("web", "http_request")).isTrue();
        assertThat(permissions.delete("web", "http_request")).isFalse();
        assertThat(permissions.list()).extracting(SkillPermission::action).containsExactly("read_file", "*");
    }
}
