package dev.switchboard.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class VaultTest {

    private static final String SECRET = "sk-proj-abcdefghijklmnopqrstuvwxyz4";

    private final MemoryVaultStore store = new MemoryVaultStore();
    private final Audit audit = new Audit();
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final MasterKey master = MasterKey.generate();
    private final Vault vault = Vault.open(store, master, "the test key", audit, clock);

    @Test
    void aValueGoesInSealedAndComesOutOnlyThroughAnAuditedAgentRead() {
        VaultEntry entry = vault.create("alice", "alice", draft("openai", SECRET));

        assertThat(entry.hint()).isEqualTo("sk-pr...xyz4");
        assertThat(entry.version()).isEqualTo(1);
        assertThat(entry.toString()).doesNotContain(SECRET);
        assertThat(store.entries.get(entry.id()).value()).doesNotContain(SECRET).doesNotContain("abcdefghij");
        assertThat(store.dataKeys.get("alice")).isNotBlank();

        assertThat(vault.readForAgent("alice", "openai", "helper", "llm", "llm.apiKey")).isEqualTo(SECRET);

        AuditEvent read = audit.last("vault.read");
        assertThat(read.actorId()).isEqualTo("agent:helper");
        assertThat(read.outcome()).isEqualTo("success");
        assertThat(read.details()).containsEntry("consumer", "llm").containsEntry("owner", "alice");
        assertThat(audit.events.toString()).doesNotContain(SECRET);
    }

    @Test
    void allowedAgentsAllowedToolsAndExpiryRefuseReadsAndEveryRefusalIsAudited() {
        vault.create("op", "op", new Vault.Draft("only-helper", SECRET, null, List.of("helper"), List.of(), null));
        vault.create("op", "op", new Vault.Draft("only-mcp", SECRET, null, List.of(), List.of("mcp__github*"), null));
        vault.create("op", "op", new Vault.Draft("short-lived", SECRET, null, List.of(), List.of(),
                clock.instant().plusSeconds(60)));

        assertThatThrownBy(() -> vault.readForAgent("op", "only-helper", "intruder", "llm", "test"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("agent not allowed")
                .hasMessageNotContaining(SECRET);
        assertThat(audit.last("vault.read").outcome()).isEqualTo("denied");
        assertThat(audit.last("vault.read").details()).containsEntry("reason", "agent_not_allowed");
        assertThat(vault.readForAgent("op", "only-helper", "helper", "llm", "test")).isEqualTo(SECRET);

        assertThatThrownBy(() -> vault.readForAgent("op", "only-mcp", "helper", "llm", "test"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("tool not allowed");
        assertThat(audit.last("vault.read").details()).containsEntry("reason", "tool_not_allowed");
        assertThat(vault.readForAgent("op", "only-mcp", "helper", "mcp__github", "test")).isEqualTo(SECRET);

        assertThat(vault.readForAgent("op", "short-lived", "helper", "llm", "test")).isEqualTo(SECRET);
        clock.advance(Duration.ofSeconds(60));
        assertThatThrownBy(() -> vault.readForAgent("op", "short-lived", "helper", "llm", "test"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("expired");
        assertThat(audit.last("vault.read").details()).containsEntry("reason", "expired");

        assertThatThrownBy(() -> vault.readForAgent("op", "missing", "helper", "llm", "test"))
                .isInstanceOf(NotFoundException.class);
        assertThat(audit.last("vault.read").outcome()).isEqualTo("failure");
        assertThat(audit.count("vault.read")).isEqualTo(7);
    }

    @Test
    void rotationReplacesTheValueAndTheOldSealedValueNoLongerOpens() {
        VaultEntry entry = vault.create("op", "op", draft("token", SECRET));
        String oldSeal = store.entries.get(entry.id()).value();
        clock.advance(Duration.ofMinutes(5));

        VaultEntry rotated = vault.rotate("op", "op", entry.id(), "ghp_the-new-token-value-0000-9999");

        assertThat(rotated.version()).isEqualTo(2);
        assertThat(rotated.rotatedAt()).isEqualTo(clock.instant());
        assertThat(rotated.hint()).isEqualTo("ghp_t...9999");
        assertThat(vault.readForAgent("op", "token", "a", "llm", "t")).isEqualTo("ghp_the-new-token-value-0000-9999");
        assertThat(audit.last("vault.rotate").details()).containsEntry("version", "2");

        // the old sealed value was bound to version 1: put back, it opens to nothing
        store.entries.put(entry.id(), new VaultStore.Sealed(rotated, oldSeal));
        assertThatThrownBy(() -> vault.readForAgent("op", "token", "a", "llm", "t"))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining(SECRET);
    }

    @Test
    void aSealedValueMovedToAnotherEntryOrOwnerDoesNotOpen() {
        VaultEntry mine = vault.create("alice", "alice", draft("mine", SECRET));
        VaultEntry theirs = vault.create("bob", "bob", draft("theirs", "bob-has-a-value-of-his-own-0000"));
        store.entries.put(theirs.id(), new VaultStore.Sealed(theirs, store.entries.get(mine.id()).value()));

        assertThatThrownBy(() -> vault.readForAgent("bob", "theirs", "a", "llm", "t"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void updateChangesMetadataOnlyAndNamesAreUniqueAndValidPerOwner() {
        VaultEntry entry = vault.create("op", "op", draft("first", SECRET));
        vault.create("op", "op", draft("second", SECRET));
        vault.create("other", "other", draft("first", SECRET));

        VaultEntry updated = vault.update("op", "op", entry.id(), new Vault.Changes("renamed",
                Optional.of("what it is for"), List.of("helper"), null, Optional.empty()));
        assertThat(updated.name()).isEqualTo("renamed");
        assertThat(updated.description()).isEqualTo("what it is for");
        assertThat(updated.allowedAgents()).containsExactly("helper");
        assertThat(updated.version()).isEqualTo(1);
        assertThat(vault.readForAgent("op", "renamed", "helper", "llm", "t")).isEqualTo(SECRET);

        assertThatThrownBy(() -> vault.update("op", "op", entry.id(),
                new Vault.Changes("second", null, null, null, null))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> vault.create("op", "op", draft("second", "x"))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> vault.create("op", "op", draft("no spaces", "x")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> vault.create("op", "op", draft("empty", "")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("value"));
        assertThatThrownBy(() -> vault.create("op", "op", new Vault.Draft("past", "x", null, null, null,
                clock.instant().minusSeconds(1))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
        assertThatThrownBy(() -> vault.get("other", entry.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> vault.rotate("other", "other", entry.id(), "v")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> vault.delete("other", "other", entry.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aWrongMasterKeyIsRefusedBeforeAnythingIsWritten() {
        vault.create("op", "op", draft("token", SECRET));
        int writes = store.writes;

        assertThatThrownBy(() -> Vault.open(store, MasterKey.generate(), "SWITCHBOARD_MASTER_KEY", audit, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("master key from SWITCHBOARD_MASTER_KEY")
                .hasMessageContaining("Nothing was written");
        assertThat(store.writes).isEqualTo(writes);
        assertThat(Vault.open(store, master, "k", audit, clock).readForAgent("op", "token", "a", "llm", "t"))
                .isEqualTo(SECRET);
    }

    @Test
    void rotatingTheMasterKeyRewrapsEveryDataKeyAndTheOldKeyOpensNothing() {
        vault.create("alice", "alice", draft("a", SECRET));
        vault.create("bob", "bob", draft("b", "bobs-secret-value-0123456789"));
        byte[] totp = vault.purposeKey("totp");
        MasterKey next = MasterKey.generate();

        assertThat(vault.rotateMasterKey("operator", next)).isEqualTo(3);

        Vault reopened = Vault.open(store, next, "new key", audit, clock);
        assertThat(reopened.readForAgent("alice", "a", "x", "llm", "t")).isEqualTo(SECRET);
        assertThat(reopened.readForAgent("bob", "b", "x", "llm", "t")).isEqualTo("bobs-secret-value-0123456789");
        assertThat(reopened.purposeKey("totp")).isEqualTo(totp);
        assertThatThrownBy(() -> Vault.open(store, master, "old key", audit, clock))
                .isInstanceOf(IllegalStateException.class);
        // the process that rotated still holds the old key: it may no longer add data keys under it
        assertThatThrownBy(() -> vault.create("carol", "carol", draft("c", SECRET)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theHintShowsFiveAndFourCharactersOfLongValuesOnly() {
        assertThat(Vault.hint("sk-proj-0123456789xyz4")).isEqualTo("sk-pr...xyz4");
        assertThat(Vault.hint("0123456789abcdef")).isEqualTo("01234...cdef");
        assertThat(Vault.hint("0123456789abcde")).isEqualTo("****");
        assertThat(Vault.hint("")).isEqualTo("****");
    }

    @Test
    void aMasterKeyMustBeBase64OfThirtyTwoBytesAndTheErrorNeverEchoesIt() {
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64 at all!!", "SWITCHBOARD_MASTER_KEY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SWITCHBOARD_MASTER_KEY is not valid base64")
                .hasMessageNotContaining("not base64 at all");
        assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ=", "SWITCHBOARD_MASTER_KEY"))
                .hasMessageContaining("decodes to 5 bytes");
        MasterKey key = MasterKey.generate();
        assertThat(MasterKey.fromBase64(key.toBase64(), "x").opens(key.keyCheck())).isTrue();
        assertThat(key.toString()).doesNotContain(key.toBase64());
    }

    @Test
    void referencesLookInTheUsersVaultFirstThenTheOperators() {
        vault.create("operator", "operator", draft("shared", "operator-value-0123456789"));
        vault.create("alice", "alice", draft("shared", "alice-value-0123456789"));
        SecretReferences references = new VaultReferences(vault, "operator");

        assertThat(references.resolve("$VAULT:shared", new SecretReferences.Use("a", "llm", "alice", "t")))
                .isEqualTo("alice-value-0123456789");
        assertThat(references.resolve("${VAULT:shared}", new SecretReferences.Use("a", "llm", "bob", "t")))
                .isEqualTo("operator-value-0123456789");
        assertThat(references.resolve("${VAULT:shared}", new SecretReferences.Use("a", "mcp__x", null, "t")))
                .isEqualTo("operator-value-0123456789");
        assertThat(references.resolve("plain-key", new SecretReferences.Use("a", "llm", "alice", "t")))
                .isEqualTo("plain-key");
        assertThat(SecretReferences.referencedName("$VAULT:bad name")).isNull();
    }

    private static Vault.Draft draft(String name, String value) {
        return new Vault.Draft(name, value, null, List.of(), List.of(), null);
    }

    /** Records what the vault writes to the audit log. */
    static final class Audit implements AuditLog {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            events.add(event);
        }

        @Override
        public List<AuditEvent> list(String typePrefix, String actorId, Instant since, Instant until, int limit,
                int offset) {
            return List.copyOf(events);
        }

        AuditEvent last(String type) {
            return events.stream().filter(e -> e.type().equals(type)).reduce((a, b) -> b).orElseThrow();
        }

        long count(String type) {
            return events.stream().filter(e -> e.type().equals(type)).count();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
