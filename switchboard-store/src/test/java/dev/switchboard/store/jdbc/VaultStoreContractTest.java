package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.vault.MasterKey;
import dev.switchboard.vault.Vault;
import dev.switchboard.vault.VaultEntry;
import dev.switchboard.vault.VaultStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vault over {@link JdbcVaultStore}, on a fresh database per test; each subclass runs it on one database. */
abstract class VaultStoreContractTest {

    private static final String SECRET = "sk-live-0123456789-abcdefghij-xyz4";

    protected JdbcStore store;
    private final MasterKey master = MasterKey.generate();
    private Vault vault;

    /** Opens a store on a database of its own. */
    protected abstract JdbcStore openFresh() throws Exception;

    protected abstract void dropDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openFresh();
        vault = Vault.open(store.vault(), master, "test key", store.audit(), Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        dropDatabase();
    }

    @Test
    void entriesRoundTripWithTheirMetadataAndTheValueStaysSealed() {
        Instant expires = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        VaultEntry created = vault.create("alice", "alice", new Vault.Draft("github", SECRET, "the bot's token",
                List.of("helper", "coder"), List.of("mcp__github"), expires));

        VaultEntry found = store.vault().find("alice", created.id()).orElseThrow();
        assertThat(found).isEqualTo(created);
        assertThat(found.expiresAt()).isEqualTo(expires);
        assertThat(store.vault().list("alice")).containsExactly(created);
        assertThat(store.vault().list("bob")).isEmpty();
        assertThat(store.vault().find("bob", created.id())).isEmpty();
        VaultStore.Sealed sealed = store.vault().findByName("alice", "github").orElseThrow();
        assertThat(sealed.value()).doesNotContain(SECRET).doesNotContain("0123456789");

        assertThat(vault.readForAgent("alice", "github", "helper", "mcp__github", "test")).isEqualTo(SECRET);
        VaultEntry rotated = vault.rotate("alice", "alice", created.id(), "sk-live-rotated-value-000000000");
        assertThat(store.vault().find("alice", created.id()).orElseThrow().version()).isEqualTo(2);
        assertThat(store.vault().replaceValue(rotated, "stale", 1)).isFalse();
        assertThat(vault.readForAgent("alice", "github", "coder", "mcp__github", "test"))
                .isEqualTo("sk-live-rotated-value-000000000");

        vault.update("alice", "alice", created.id(), new Vault.Changes(null, Optional.empty(), List.of(), null,
                Optional.empty()));
        VaultEntry cleared = store.vault().find("alice", created.id()).orElseThrow();
        assertThat(cleared.description()).isNull();
        assertThat(cleared.allowedAgents()).isEmpty();
        assertThat(cleared.expiresAt()).isNull();

        vault.delete("alice", "alice", created.id());
        assertThat(store.vault().list("alice")).isEmpty();

        List<AuditEvent> reads = store.audit().list("vault.read", null, null, null, 10, 0);
        assertThat(reads).hasSize(2).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("success"));
        assertThat(reads.toString()).doesNotContain(SECRET);
    }

    @Test
    void theDatabaseKeepsNamesUniquePerOwner() {
        VaultEntry first = vault.create("alice", "alice", draft("one"));
        VaultEntry second = vault.create("alice", "alice", draft("two"));
        vault.create("bob", "bob", draft("one"));

        // past the vault's own check, as a concurrent writer would be
        VaultEntry clash = new VaultEntry("vlt_other", "alice", "one", null, "****", List.of(), List.of(), null, 1,
                Instant.now(), Instant.now(), null);
        assertThatThrownBy(() -> store.vault().insert(clash, "sealed")).isInstanceOf(ConflictException.class);
        VaultEntry renamed = new VaultEntry(second.id(), "alice", first.name(), null, second.hint(), List.of(),
                List.of(), null, 1, second.createdAt(), Instant.now(), null);
        assertThatThrownBy(() -> store.vault().update(renamed)).isInstanceOf(ConflictException.class);
    }

    @Test
    void aMasterKeyRotationIsOneTransactionAndKeepsNewDataKeysFromTheOldKey() {
        vault.create("alice", "alice", draft("a"));
        vault.create("bob", "bob", draft("b"));
        String check = store.vault().keyCheck().orElseThrow();
        String aliceKey = store.vault().dataKey("alice").orElseThrow();

        // a failure half-way leaves every key and the check as they were
        assertThatThrownBy(() -> store.vault().rewrapDataKeys(check, "new-check", (owner, wrapped) -> {
            if (owner.equals("bob")) {
                throw new IllegalStateException("cannot wrap");
            }
            return "rewrapped";
        }, Instant.now())).hasMessage("cannot wrap");
        assertThat(store.vault().keyCheck()).contains(check);
        assertThat(store.vault().dataKey("alice")).contains(aliceKey);

        MasterKey next = MasterKey.generate();
        assertThat(vault.rotateMasterKey("operator", next)).isEqualTo(2);
        assertThat(store.vault().dataKey("alice")).isNotEqualTo(Optional.of(aliceKey));
        Vault reopened = Vault.open(store.vault(), next, "new key", store.audit(), Clock.systemUTC());
        assertThat(reopened.readForAgent("bob", "b", "x", "llm", "t")).isEqualTo(SECRET);

        assertThatThrownBy(() -> vault.create("carol", "carol", draft("c"))).isInstanceOf(IllegalStateException.class);
        assertThat(store.vault().dataKey("carol")).isEmpty();
        assertThatThrownBy(() -> Vault.open(store.vault(), master, "old key", store.audit(), Clock.systemUTC()))
                .hasMessageContaining("is not the key its secrets were sealed with");
    }

    private static Vault.Draft draft(String name) {
        return new Vault.Draft(name, SECRET, null, List.of(), List.of(), null);
    }
}
