package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.user.Passkey;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The passkey service on a real SQLite store, against a software authenticator. */
class PasskeysTest {

    private static final String ORIGIN = "https://switchboard.example.com";
    private static final String RP_ID = "switchboard.example.com";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private JdbcStore store;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T09:00:00Z"));
    private Passkeys passkeys;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("switchboard.db"));
        passkeys = service(true);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Passkeys service(boolean requireUserVerification) {
        return new Passkeys(store.passkeys(), store.users(), store.audit(), new Passkeys.Settings(RP_ID,
                "Switchboard", () -> List.of(ORIGIN), TIMEOUT, requireUserVerification), clock);
    }

    @Test
    void aPasskeyIsRegisteredAndSignsItsUserIn() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = new SoftwareAuthenticator(RP_ID, ORIGIN);

        Passkeys.CreationOptions creation = passkeys.registrationOptions(alice);
        assertThat(creation.rpId()).isEqualTo(RP_ID);
        assertThat(creation.userName()).isEqualTo("alice");
        assertThat(creation.userHandle()).isNotEqualTo(alice).isNotEqualTo(b64(alice.getBytes()));
        assertThat(Base64.getUrlDecoder().decode(creation.userHandle())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(creation.challenge())).hasSize(32);
        assertThat(creation.excludeCredentials()).isEmpty();
        assertThat(creation.timeoutMillis()).isEqualTo(TIMEOUT.toMillis());
        assertThat(creation.userVerification()).isEqualTo("required");

        Passkey registered = passkeys.register(alice, attestation(device.register(creation.challenge()), "Laptop"),
                "10.0.0.1");
        assertThat(registered.userId()).isEqualTo(alice);
        assertThat(registered.credentialId()).isEqualTo(device.credentialId());
        assertThat(registered.name()).isEqualTo("Laptop");
        assertThat(registered.transports()).containsExactly("internal", "hybrid");
        assertThat(passkeys.list(alice)).containsExactly(registered);

        Passkeys.CreationOptions again = passkeys.registrationOptions(alice);
        assertThat(again.userHandle()).as("one handle per user").isEqualTo(creation.userHandle());
        assertThat(again.excludeCredentials()).extracting(Passkeys.Descriptor::id)
                .containsExactly(device.credentialId());

        Passkeys.RequestOptions request = passkeys.authenticationOptions("alice");
        assertThat(request.allowCredentials()).extracting(Passkeys.Descriptor::id)
                .containsExactly(device.credentialId());
        clock.advance(Duration.ofSeconds(30));
        Passkey used = passkeys.authenticate(assertion(device.authenticate(request.challenge(),
                creation.userHandle())), "10.0.0.2");
        assertThat(used.userId()).isEqualTo(alice);
        assertThat(used.signCount()).isEqualTo(1);
        assertThat(used.lastUsedAt()).isEqualTo(clock.instant());
        assertThat(passkeys.list(alice).getFirst().signCount()).isEqualTo(1);

        List<AuditEvent> events = store.audit().list("auth.passkey.", alice, null, null, 10, 0);
        assertThat(events).extracting(AuditEvent::type)
                .containsExactly("auth.passkey.login", "auth.passkey.registered");
        assertThat(events.getFirst().ip()).isEqualTo("10.0.0.2");
    }

    @Test
    void aDiscoverablePasskeySignsInWithoutAUsername() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = registered(alice);

        Passkeys.RequestOptions request = passkeys.authenticationOptions(null);
        assertThat(request.allowCredentials()).isEmpty();
        assertThat(passkeys.authenticate(assertion(device.authenticate(request.challenge(), null)), null).userId())
                .isEqualTo(alice);
    }

    @Test
    void aChallengeSignsInOnce() {
        SoftwareAuthenticator device = registered(user("alice", false));
        String challenge = passkeys.authenticationOptions(null).challenge();
        passkeys.authenticate(assertion(device.authenticate(challenge, null)), null);

        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(challenge, null)), null),
                "already used");
    }

    @Test
    void aFailedSignInUsesTheChallengeUpToo() {
        SoftwareAuthenticator device = registered(user("alice", false));
        String challenge = passkeys.authenticationOptions(null).challenge();
        device.origin = "https://evil.example";
        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(challenge, null)), null),
                "origin");

        device.origin = ORIGIN;
        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(challenge, null)), null),
                "already used");
    }

    @Test
    void anExpiredChallengeIsRefused() {
        SoftwareAuthenticator device = registered(user("alice", false));
        String challenge = passkeys.authenticationOptions(null).challenge();
        clock.advance(TIMEOUT.plusSeconds(1));

        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(challenge, null)), null),
                "expired");
    }

    @Test
    void aChallengeServesOnlyItsCeremonyAndItsUser() {
        String alice = user("alice", false);
        String bob = user("bob", false);
        SoftwareAuthenticator device = registered(alice);

        String registration = passkeys.registrationOptions(alice).challenge();
        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(registration, null)), null),
                "already used");

        String bobsChallenge = passkeys.registrationOptions(bob).challenge();
        SoftwareAuthenticator another = new SoftwareAuthenticator(RP_ID, ORIGIN);
        assertThatThrownBy(() -> passkeys.register(alice, attestation(another.register(bobsChallenge), null), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("challenge")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("response.clientDataJSON");
    }

    @Test
    void aSignInStartedForOneUserRefusesAnotherUsersPasskey() {
        registered(user("alice", false));
        SoftwareAuthenticator bobs = registered(user("bob", false));
        String forAlice = passkeys.authenticationOptions("alice").challenge();

        assertRefused(() -> passkeys.authenticate(assertion(bobs.authenticate(forAlice, null)), null),
                "does not belong");
    }

    @Test
    void aUserHandleOfAnotherUserIsRefused() {
        String alice = user("alice", false);
        String bob = user("bob", false);
        SoftwareAuthenticator device = registered(alice);
        String bobsHandle = passkeys.registrationOptions(bob).userHandle();
        String challenge = passkeys.authenticationOptions(null).challenge();

        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(challenge, bobsHandle)), null),
                "user handle");
    }

    @Test
    void aWrongOriginIsRefusedAtBothCeremonies() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = new SoftwareAuthenticator(RP_ID, "https://switchboard.example.com.evil.net");
        String challenge = passkeys.registrationOptions(alice).challenge();
        assertThatThrownBy(() -> passkeys.register(alice, attestation(device.register(challenge), null), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("origin");

        SoftwareAuthenticator good = registered(alice);
        good.origin = "http://switchboard.example.com";
        String signIn = passkeys.authenticationOptions(null).challenge();
        assertRefused(() -> passkeys.authenticate(assertion(good.authenticate(signIn, null)), null), "origin");
    }

    @Test
    void aWrongRpIdIsRefusedAtBothCeremonies() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = new SoftwareAuthenticator("example.com", ORIGIN);
        String challenge = passkeys.registrationOptions(alice).challenge();
        assertThatThrownBy(() -> passkeys.register(alice, attestation(device.register(challenge), null), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("rpId")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("response.attestationObject");

        SoftwareAuthenticator good = registered(alice);
        good.rpId = "evil.example";
        String signIn = passkeys.authenticationOptions(null).challenge();
        assertRefused(() -> passkeys.authenticate(assertion(good.authenticate(signIn, null)), null), "rpId");
    }

    @Test
    void aClonedAuthenticatorIsRefusedOnceTheOriginalMovedOn() {
        SoftwareAuthenticator device = registered(user("alice", false));
        SoftwareAuthenticator clone = device.cloned();
        passkeys.authenticate(assertion(device.authenticate(passkeys.authenticationOptions(null).challenge(), null)),
                null);

        assertRefused(() -> passkeys.authenticate(assertion(clone.authenticate(
                passkeys.authenticationOptions(null).challenge(), null)), null), "cloned");
        assertThat(passkeys.authenticate(assertion(device.authenticate(
                passkeys.authenticationOptions(null).challenge(), null)), null).signCount()).isEqualTo(2);
    }

    @Test
    void anAuthenticatorWithoutACounterSignsInAgainAndAgain() {
        SoftwareAuthenticator device = registered(user("alice", false));
        device.counterStep = 0;
        for (int i = 0; i < 3; i++) {
            Passkey used = passkeys.authenticate(assertion(device.authenticate(
                    passkeys.authenticationOptions(null).challenge(), null)), null);
            assertThat(used.signCount()).isZero();
        }
    }

    @Test
    void aForgedSignatureIsRefused() {
        SoftwareAuthenticator device = registered(user("alice", false));
        SoftwareAuthenticator impostor = new SoftwareAuthenticator(RP_ID, ORIGIN);
        Map<String, Object> genuine = device.authenticate(passkeys.authenticationOptions(null).challenge(), null);
        Map<String, Object> forged = impostor.authenticate(passkeys.authenticationOptions(null).challenge(), null);
        forged.put("id", genuine.get("id"));

        assertRefused(() -> passkeys.authenticate(assertion(forged), null), "signature");
    }

    @Test
    void presenceAndVerificationAreRequiredAsConfigured() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = registered(alice);
        device.userPresent = false;
        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(
                passkeys.authenticationOptions(null).challenge(), null)), null), "present");

        device.userPresent = true;
        device.userVerified = false;
        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(
                passkeys.authenticationOptions(null).challenge(), null)), null), "verified");

        Passkeys lenient = service(false);
        assertThat(lenient.authenticationOptions(null).userVerification()).isEqualTo("preferred");
        assertThat(lenient.authenticate(assertion(device.authenticate(
                lenient.authenticationOptions(null).challenge(), null)), null).userId()).isEqualTo(alice);
    }

    @Test
    void aDisabledUserCannotSignInNorIsNamedInOptions() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = registered(alice);
        User user = store.users().findUser(alice).orElseThrow();
        store.users().updateUser(user.withProfile(user.displayName(), user.role(), true, clock.instant()));

        assertThat(passkeys.authenticationOptions("alice").allowCredentials()).isEmpty();
        assertRefused(() -> passkeys.authenticate(assertion(device.authenticate(
                passkeys.authenticationOptions(null).challenge(), null)), null), "disabled");
        assertThat(store.audit().list("auth.passkey.failed", alice, null, null, 10, 0)).isNotEmpty();
    }

    @Test
    void anUnknownUsernameGetsTheSameOptionsAsAUserWithoutPasskeys() {
        user("carol", false);
        Passkeys.RequestOptions unknown = passkeys.authenticationOptions("nobody");
        Passkeys.RequestOptions without = passkeys.authenticationOptions("carol");

        assertThat(unknown.allowCredentials()).isEmpty();
        assertThat(without.allowCredentials()).isEmpty();
        assertThat(unknown.rpId()).isEqualTo(without.rpId());
    }

    @Test
    void anUnregisteredCredentialIsRefused() {
        user("alice", false);
        SoftwareAuthenticator stranger = new SoftwareAuthenticator(RP_ID, ORIGIN);
        assertRefused(() -> passkeys.authenticate(assertion(stranger.authenticate(
                passkeys.authenticationOptions(null).challenge(), null)), null), "not registered");
    }

    @Test
    void aCredentialIsRegisteredOnlyOnce() {
        String alice = user("alice", false);
        SoftwareAuthenticator device = registered(alice);
        String challenge = passkeys.registrationOptions(alice).challenge();

        assertThatThrownBy(() -> passkeys.register(alice, attestation(device.register(challenge), null), null))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void onlyUserAccountsHavePasskeys() {
        assertThatThrownBy(() -> passkeys.registrationOptions("operator")).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aUserDeletesOnlyTheirOwnPasskeys() {
        String alice = user("alice", false);
        String bob = user("bob", false);
        registered(alice);
        String id = passkeys.list(alice).getFirst().id();

        assertThatThrownBy(() -> passkeys.delete(bob, id, null)).isInstanceOf(NotFoundException.class);
        assertThat(passkeys.list(alice)).hasSize(1);
        passkeys.delete(alice, id, null);
        assertThat(passkeys.list(alice)).isEmpty();
    }

    @Test
    void malformedClientDataIsABadRequestNamingTheField() {
        String alice = user("alice", false);
        assertThatThrownBy(() -> passkeys.register(alice, new Passkeys.Attestation("not json".getBytes(),
                new byte[] {1, 2}, List.of(), null), null))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("response.clientDataJSON");
    }

    // ---- helpers

    private SoftwareAuthenticator registered(String userId) {
        SoftwareAuthenticator device = new SoftwareAuthenticator(RP_ID, ORIGIN);
        String challenge = passkeys.registrationOptions(userId).challenge();
        passkeys.register(userId, attestation(device.register(challenge), null), null);
        return device;
    }

    private String user(String username, boolean disabled) {
        String id = Ids.next("usr");
        Instant now = clock.instant();
        store.users().createUser(new User(id, username, null, Role.USER, disabled, null, null, false, 0, now, now,
                null));
        return id;
    }

    private static void assertRefused(Runnable signIn, String reason) {
        assertThatThrownBy(signIn::run)
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining(reason);
    }

    @SuppressWarnings("unchecked")
    private static Passkeys.Attestation attestation(Map<String, Object> credential, String name) {
        Map<String, Object> response = (Map<String, Object>) credential.get("response");
        return new Passkeys.Attestation(decode(response.get("clientDataJSON")),
                decode(response.get("attestationObject")), (List<String>) response.get("transports"), name);
    }

    @SuppressWarnings("unchecked")
    private static Passkeys.Assertion assertion(Map<String, Object> credential) {
        Map<String, Object> response = (Map<String, Object>) credential.get("response");
        return new Passkeys.Assertion(decode(credential.get("id")), decode(response.get("clientDataJSON")),
                decode(response.get("authenticatorData")), decode(response.get("signature")),
                response.get("userHandle") == null ? null : decode(response.get("userHandle")));
    }

    private static byte[] decode(Object base64url) {
        return Base64.getUrlDecoder().decode((String) base64url);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
