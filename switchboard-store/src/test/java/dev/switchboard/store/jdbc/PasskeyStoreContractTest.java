package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Ids;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.user.Passkey;
import dev.switchboard.user.PasskeyChallenge;
import dev.switchboard.user.PasskeyChallenge.Ceremony;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the passkey store must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PasskeyStoreContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected JdbcStore store;
    private JdbcPasskeyStore passkeys;

    protected abstract JdbcStore openStore() throws Exception;

    protected abstract void dropDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = openStore();
        passkeys = store.passkeys();
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    @Test
    void aUserKeepsOneRandomHandleThatLeadsBackToThem() {
        String user = user();
        String handle = passkeys.userHandle(user, "handle-" + user);

        assertThat(passkeys.userHandle(user, "another-candidate")).isEqualTo(handle);
        assertThat(passkeys.userOfHandle(handle)).contains(user);
        assertThat(passkeys.userOfHandle("another-candidate")).isEmpty();
    }

    @Test
    void aPasskeyIsListedForItsOwnerAndFoundByCredentialIdWithEveryField() {
        String user = user();
        Passkey first = passkey(user, "cred-a-" + user, T0);
        Passkey second = new Passkey(Ids.next("pk"), user, "cred-b-" + user, "data-b", 0, false, true, true,
                List.of(), "Phone", T0.plusSeconds(5), T0.plusSeconds(9));
        passkeys.add(second);
        passkeys.add(first);

        assertThat(passkeys.list(user)).containsExactly(first, second);
        assertThat(passkeys.list(user())).isEmpty();
        assertThat(passkeys.findByCredentialId(second.credentialId())).contains(second);
        assertThat(passkeys.findByCredentialId("no-such-credential")).isEmpty();
    }

    @Test
    void aCredentialIdIsRegisteredOnceAcrossAllUsers() {
        String credentialId = "cred-" + Ids.next("x");
        passkeys.add(passkey(user(), credentialId, T0));

        assertThatThrownBy(() -> passkeys.add(passkey(user(), credentialId, T0)))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void aUseIsRecordedOnlyFromTheCountItSaw() {
        String user = user();
        Passkey passkey = passkey(user, "cred-" + user, T0);
        passkeys.add(passkey);

        assertThat(passkeys.recordUse(passkey.id(), 3, 9, true, T0.plusSeconds(60))).as("stale count").isFalse();
        assertThat(passkeys.recordUse(passkey.id(), 0, 4, true, T0.plusSeconds(60))).isTrue();
        assertThat(passkeys.recordUse(passkey.id(), 0, 5, true, T0.plusSeconds(61)))
                .as("a second use racing with the same count").isFalse();

        Passkey stored = passkeys.findByCredentialId(passkey.credentialId()).orElseThrow();
        assertThat(stored.signCount()).isEqualTo(4);
        assertThat(stored.backupState()).isTrue();
        assertThat(stored.lastUsedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void onlyTheOwnerDeletesAPasskey() {
        String owner = user();
        Passkey passkey = passkey(owner, "cred-" + owner, T0);
        passkeys.add(passkey);

        assertThat(passkeys.delete(user(), passkey.id())).isFalse();
        assertThat(passkeys.list(owner)).hasSize(1);
        assertThat(passkeys.delete(owner, passkey.id())).isTrue();
        assertThat(passkeys.list(owner)).isEmpty();
        assertThat(passkeys.delete(owner, passkey.id())).isFalse();
    }

    @Test
    void aChallengeIsTakenOnceForItsCeremonyWhileItLasts() {
        String user = user();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PasskeyChallenge challenge = new PasskeyChallenge("ch-" + user, Ceremony.REGISTRATION, user, now,
                now.plusSeconds(300));
        passkeys.saveChallenge(challenge);

        assertThat(passkeys.takeChallenge(challenge.challenge(), Ceremony.AUTHENTICATION, now)).isEmpty();
        assertThat(passkeys.takeChallenge(challenge.challenge(), Ceremony.REGISTRATION, now)).contains(challenge);
        assertThat(passkeys.takeChallenge(challenge.challenge(), Ceremony.REGISTRATION, now)).isEmpty();

        PasskeyChallenge open = new PasskeyChallenge("open-" + user, Ceremony.AUTHENTICATION, null, now,
                now.plusSeconds(300));
        passkeys.saveChallenge(open);
        assertThat(passkeys.takeChallenge(open.challenge(), Ceremony.AUTHENTICATION, now.plusSeconds(300)))
                .as("taken at its expiry").isEmpty();
        assertThat(passkeys.takeChallenge(open.challenge(), Ceremony.AUTHENTICATION, now)).isEmpty();
    }

    @Test
    void expiredChallengesAreSweptWhenANewOneIsSaved() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String stale = "stale-" + Ids.next("c");
        passkeys.saveChallenge(new PasskeyChallenge(stale, Ceremony.AUTHENTICATION, null,
                now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(5))));
        passkeys.saveChallenge(new PasskeyChallenge("fresh-" + Ids.next("c"), Ceremony.AUTHENTICATION, null, now,
                now.plusSeconds(300)));

        long left = store.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM passkey_challenges WHERE challenge = :c")
                .bind("c", stale)
                .mapTo(Long.class)
                .one());
        assertThat(left).isZero();
    }

    @Test
    void ofManyCallersPresentingOneChallengeOnlyOneGetsIt() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String challenge = "race-" + Ids.next("c");
        passkeys.saveChallenge(new PasskeyChallenge(challenge, Ceremony.AUTHENTICATION, null, now,
                now.plusSeconds(300)));
        List<Callable<Optional<PasskeyChallenge>>> takers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            takers.add(() -> passkeys.takeChallenge(challenge, Ceremony.AUTHENTICATION, now));
        }
        int winners = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Optional<PasskeyChallenge>> result : pool.invokeAll(takers)) {
                winners += result.get().isPresent() ? 1 : 0;
            }
        }
        assertThat(winners).isEqualTo(1);
    }

    private String user() {
        String id = Ids.next("usr");
        store.users().createUser(new User(id, id, null, Role.USER, false, null, null, false, 0, T0, T0, null));
        return id;
    }

    private static Passkey passkey(String userId, String credentialId, Instant at) {
        return new Passkey(Ids.next("pk"), userId, credentialId, "data-" + credentialId, 0, true, false, false,
                List.of("internal", "hybrid"), "Laptop", at, null);
    }
}
