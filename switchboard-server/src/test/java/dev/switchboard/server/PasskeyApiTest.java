package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.identity.SoftwareAuthenticator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passkeys over real HTTP: a software authenticator registers and signs in against a started server. */
class PasskeyApiTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path home;

    private TestServer server;
    private String aliceId;
    private TestServer.Client alice;

    @BeforeEach
    void start() {
        server = TestServer.start(home);
        aliceId = server.createUser("alice", PASSWORD, "user");
        alice = server.as(server.login("alice", PASSWORD));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An authenticator as a browser on the server's own loopback origin would drive it (rpId localhost). */
    private SoftwareAuthenticator device() {
        return new SoftwareAuthenticator("localhost", server.url(""));
    }

    @Test
    void aRegisteredPasskeySignsInAndItsAccessTokenWorks() {
        TestServer.Reply options = alice.post("/api/auth/passkey/register/options", Map.of());
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        JsonNode creation = options.json();
        assertThat(creation.path("rp").path("id").asText()).isEqualTo("localhost");
        assertThat(creation.path("rp").path("name").asText()).isEqualTo("Switchboard");
        assertThat(creation.path("user").path("name").asText()).isEqualTo("alice");
        assertThat(creation.path("user").path("id").asText()).isNotEmpty().doesNotContain(aliceId);
        assertThat(creation.path("pubKeyCredParams").findValuesAsText("alg")).containsExactly("-7", "-257");
        assertThat(creation.path("attestation").asText()).isEqualTo("none");
        assertThat(creation.path("excludeCredentials").size()).isZero();
        assertThat(creation.path("timeout").asLong()).isEqualTo(300_000);
        assertThat(options.raw().headers().firstValue("Cache-Control")).contains("no-store");

        SoftwareAuthenticator device = device();
        Map<String, Object> answer = new HashMap<>(device.register(creation.path("challenge").asText()));
        answer.put("name", "Work laptop");
        TestServer.Reply registered = alice.post("/api/auth/passkey/register", answer);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().path("passkey").path("name").asText()).isEqualTo("Work laptop");
        assertThat(registered.json().path("passkey").path("credentialId").asText()).isEqualTo(device.credentialId());

        JsonNode listed = alice.get("/api/auth/passkeys").json().path("passkeys");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).has("credentialData")).isFalse();
        assertThat(listed.get(0).has("publicKey")).isFalse();
        assertThat(listed.get(0).path("transports").toString()).isEqualTo("[\"internal\",\"hybrid\"]");
        assertThat(listed.get(0).path("lastUsedAt").isNull()).isTrue();

        JsonNode request = server.as(null).post("/api/auth/passkey/authenticate/options",
                Map.of("username", "alice")).json();
        assertThat(request.path("rpId").asText()).isEqualTo("localhost");
        assertThat(request.path("allowCredentials").findValuesAsText("id")).containsExactly(device.credentialId());
        TestServer.Reply signedIn = server.as(null).post("/api/auth/passkey/authenticate",
                device.authenticate(request.path("challenge").asText(), creation.path("user").path("id").asText()));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.json().path("tokenType").asText()).isEqualTo("Bearer");
        assertThat(signedIn.json().path("refreshToken").asText()).isNotEmpty();

        TestServer.Reply me = server.as(signedIn.json().path("accessToken").asText()).get("/api/auth/me");
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().path("id").asText()).isEqualTo(aliceId);
        assertThat(me.json().path("username").asText()).isEqualTo("alice");
        assertThat(alice.get("/api/auth/passkeys").json().path("passkeys").get(0).path("lastUsedAt").isTextual())
                .isTrue();

        JsonNode audit = server.get("/api/admin/audit?type=auth.passkey.").json().path("events");
        assertThat(audit.findValuesAsText("type")).containsExactly("auth.passkey.login", "auth.passkey.registered");
    }

    @Test
    void aReplayedChallengeIsRefused() {
        SoftwareAuthenticator device = registered(alice);
        String challenge = signInChallenge();
        assertThat(signIn(device.authenticate(challenge, null)).status()).isEqualTo(200);

        TestServer.Reply replayed = signIn(device.authenticate(challenge, null));
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.json().path("error").path("code").asText()).isEqualTo("passkey_refused");
        assertThat(replayed.json().path("error").path("message").asText()).contains("already used");
        assertThat(replayed.body()).doesNotContain("accessToken");
    }

    @Test
    void aWrongOriginIsRefused() {
        SoftwareAuthenticator device = registered(alice);
        device.origin = "https://evil.example";

        TestServer.Reply refused = signIn(device.authenticate(signInChallenge(), null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").path("message").asText()).contains("origin");

        SoftwareAuthenticator phished = new SoftwareAuthenticator("localhost", "http://localhost:1");
        Map<String, Object> answer = phished.register(registrationChallenge(alice));
        TestServer.Reply notRegistered = alice.post("/api/auth/passkey/register", answer);
        assertThat(notRegistered.status()).isEqualTo(400);
        assertThat(notRegistered.errorField()).isEqualTo("response.clientDataJSON");
        assertThat(notRegistered.json().path("error").path("message").asText()).contains("origin");
    }

    @Test
    void aWrongRpIdIsRefused() {
        SoftwareAuthenticator device = registered(alice);
        device.rpId = "evil.example";

        TestServer.Reply refused = signIn(device.authenticate(signInChallenge(), null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").path("message").asText()).contains("rpId");

        SoftwareAuthenticator elsewhere = new SoftwareAuthenticator("example.com", server.url(""));
        TestServer.Reply notRegistered = alice.post("/api/auth/passkey/register",
                elsewhere.register(registrationChallenge(alice)));
        assertThat(notRegistered.status()).isEqualTo(400);
        assertThat(notRegistered.errorField()).isEqualTo("response.attestationObject");
    }

    @Test
    void aClonedAuthenticatorIsRefused() {
        SoftwareAuthenticator device = registered(alice);
        SoftwareAuthenticator clone = device.cloned();
        assertThat(signIn(device.authenticate(signInChallenge(), null)).status()).isEqualTo(200);
        assertThat(signIn(device.authenticate(signInChallenge(), null)).status()).isEqualTo(200);

        TestServer.Reply refused = signIn(clone.authenticate(signInChallenge(), null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").path("message").asText()).contains("cloned");
        JsonNode failures = server.get("/api/admin/audit?type=auth.passkey.failed").json().path("events");
        assertThat(failures.get(0).path("actorId").asText()).isEqualTo(aliceId);
        assertThat(failures.get(0).path("outcome").asText()).isEqualTo("failure");
    }

    @Test
    void aUserCannotDeleteAnotherUsersPasskey() {
        registered(alice);
        String passkeyId = alice.get("/api/auth/passkeys").json().path("passkeys").get(0).path("id").asText();
        server.createUser("bob", PASSWORD, "user");
        TestServer.Client bob = server.as(server.login("bob", PASSWORD));

        TestServer.Reply refused = bob.delete("/api/auth/passkeys/" + passkeyId);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(bob.get("/api/auth/passkeys").json().path("passkeys").size()).isZero();
        assertThat(alice.get("/api/auth/passkeys").json().path("passkeys").size()).isEqualTo(1);

        TestServer.Reply deleted = alice.delete("/api/auth/passkeys/" + passkeyId);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(alice.get("/api/auth/passkeys").json().path("passkeys").size()).isZero();
        assertThat(alice.delete("/api/auth/passkeys/" + passkeyId).status()).isEqualTo(404);
    }

    @Test
    void aDisabledUserCannotSignInWithAPasskey() {
        SoftwareAuthenticator device = registered(alice);
        assertThat(server.patch("/api/admin/users/" + aliceId, Map.of("disabled", true)).status()).isEqualTo(200);

        TestServer.Reply refused = signIn(device.authenticate(signInChallenge(), null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("accessToken");
    }

    @Test
    void onlyASignedInSessionManagesPasskeys() {
        TestServer.Reply anonymous = server.as(null).post("/api/auth/passkey/register/options", Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        TestServer.Reply operator = server.post("/api/auth/passkey/register/options", Map.of());
        assertThat(operator.status()).isEqualTo(403);
        TestServer.Reply token = alice.post("/api/api-tokens", Map.of("name", "script"));
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        TestServer.Reply withToken = server.as(token.json().path("token").asText())
                .post("/api/auth/passkey/register/options", Map.of());
        assertThat(withToken.status()).isEqualTo(403);
        assertThat(withToken.json().path("error").path("message").asText()).contains("signed-in session");
    }

    @Test
    void malformedAnswersAreBadRequestsNamingTheField() {
        String challenge = registrationChallenge(alice);
        Map<String, Object> good = device().register(challenge);

        assertField(alice.post("/api/auth/passkey/register", Map.of("id", "x")), "response");
        assertField(alice.post("/api/auth/passkey/register", Map.of("response", "nope")), "response");
        assertField(alice.post("/api/auth/passkey/register", Map.of("response", Map.of("attestationObject", "AA"))),
                "response.clientDataJSON");
        assertField(alice.post("/api/auth/passkey/register", Map.of("response",
                Map.of("clientDataJSON", "not+base64/url", "attestationObject", "AA"))), "response.clientDataJSON");
        Map<String, Object> withUnknown = new HashMap<>(good);
        withUnknown.put("surprise", true);
        assertField(alice.post("/api/auth/passkey/register", withUnknown), "surprise");
        Map<String, Object> badTransports = new HashMap<>(good);
        badTransports.put("response", Map.of("clientDataJSON", "AA", "attestationObject", "AA",
                "transports", List.of("USB; DROP")));
        assertField(alice.post("/api/auth/passkey/register", badTransports), "response.transports");
        Map<String, Object> longName = new HashMap<>(good);
        longName.put("name", "n".repeat(101));
        assertField(alice.post("/api/auth/passkey/register", longName), "name");
        assertField(alice.post("/api/auth/passkey/register", "[1,2]"), "body");

        TestServer.Client anyone = server.as(null);
        assertField(anyone.post("/api/auth/passkey/authenticate/options", Map.of("username", 7)), "username");
        assertField(anyone.post("/api/auth/passkey/authenticate", Map.of("response", Map.of())), "id");
        assertField(anyone.post("/api/auth/passkey/authenticate", Map.of("id", "AAAA", "response",
                Map.of("clientDataJSON", "AA", "authenticatorData", "AA"))), "response.signature");
        assertField(anyone.post("/api/auth/passkey/authenticate", Map.of("id", "AAAA", "rawId", "BBBB",
                "response", Map.of())), "rawId");

        TestServer.Reply stillGood = alice.post("/api/auth/passkey/register", good);
        assertThat(stillGood.status()).as("the challenge survives refused malformed input")
                .isEqualTo(201);
    }

    // ---- helpers

    private SoftwareAuthenticator registered(TestServer.Client user) {
        SoftwareAuthenticator device = device();
        TestServer.Reply registered = user.post("/api/auth/passkey/register",
                device.register(registrationChallenge(user)));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        return device;
    }

    private String registrationChallenge(TestServer.Client user) {
        return user.post("/api/auth/passkey/register/options", Map.of()).json().path("challenge").asText();
    }

    private String signInChallenge() {
        return server.as(null).post("/api/auth/passkey/authenticate/options", Map.of()).json()
                .path("challenge").asText();
    }

    private TestServer.Reply signIn(Map<String, Object> assertion) {
        return server.as(null).post("/api/auth/passkey/authenticate", assertion);
    }

    private static void assertField(TestServer.Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
    }
}
