package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.profile.ModelProfile;
import dev.switchboard.push.PushToken;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the profile and push token stores must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProfileAndPushStoreContractTest {

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
    void profilesKeepEveryFieldAndTheirIdsAreUnique() {
        String id = "p-" + UUID.randomUUID();
        ModelProfile full = new ModelProfile(id, "Fast", "openai", "gpt-x", "https://example.com/v1",
                "$VAULT:llm.openai", 0.3, 512, T0, T0);
        store.profiles().add(full);
        assertThat(store.profiles().find(id)).contains(full);
        ModelProfile bare = new ModelProfile(id + "-bare", "Bare", "ollama", "llama", null, null, null, null,
                T0.plusSeconds(1), T0.plusSeconds(1));
        store.profiles().add(bare);
        assertThat(store.profiles().find(bare.id())).contains(bare);
        assertThatThrownBy(() -> store.profiles().add(full)).isInstanceOf(ConflictException.class);
        assertThat(store.profiles().list()).extracting(ModelProfile::id).containsSubsequence(id, bare.id());
        assertThat(store.profiles().delete(id)).isTrue();
        assertThat(store.profiles().delete(id)).isFalse();
        assertThat(store.profiles().find(id)).isEmpty();
    }

    @Test
    void aTokenBelongsToWhoeverRegisteredItLastAndBadgesCount() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String token = "tok-" + UUID.randomUUID();
        PushToken first = store.pushTokens().register(new PushToken("push_" + UUID.randomUUID(), alice, token, "ios",
                "phone", T0));
        assertThat(store.pushTokens().list(alice)).containsExactly(first);
        PushToken moved = store.pushTokens().register(new PushToken("push_" + UUID.randomUUID(), bob, token,
                "android", null, T0.plusSeconds(5)));
        assertThat(moved.id()).isEqualTo(first.id());
        assertThat(store.pushTokens().list(alice)).isEmpty();
        assertThat(store.pushTokens().list(bob)).containsExactly(moved);
        assertThat(store.pushTokens().unregister(alice, token)).isFalse();

        String other = "tok-" + UUID.randomUUID();
        store.pushTokens().register(new PushToken("push_" + UUID.randomUUID(), bob, other, "web", null, T0));
        assertThat(store.pushTokens().removeTokens(List.of(token, "unknown"))).isEqualTo(1);
        assertThat(store.pushTokens().list(bob)).extracting(PushToken::token).containsExactly(other);
        assertThat(store.pushTokens().unregister(bob, other)).isTrue();

        assertThat(store.pushTokens().badge(alice)).isZero();
        assertThat(store.pushTokens().incrementBadge(alice, T0)).isEqualTo(1);
        assertThat(store.pushTokens().incrementBadge(alice, T0)).isEqualTo(2);
        assertThat(store.pushTokens().badge(bob)).isZero();
        store.pushTokens().clearBadge(alice, T0);
        assertThat(store.pushTokens().badge(alice)).isZero();
        assertThat(store.pushTokens().incrementBadge(alice, T0)).isEqualTo(1);
    }
}
