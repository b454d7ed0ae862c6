package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.identity.TwoFactor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {

    static final String ALICE_PASSWORD = "alice-password-5f1e";
    static final String BOB_PASSWORD = "bob-password-9c2d";

    @TempDir
    Path home;

    @Test
    void registrationIsClosedUntilAnAdminOpensIt() {
        try (TestServer server = TestServer.start(home)) {
            Map<String, String> alice = Map.of("username", "alice", "password", ALICE_PASSWORD);
            TestServer.Reply closed = server.as(null).post("/api/auth/register", alice);
            assertThat(closed.status()).isEqualTo(403);
            assertThat(closed.json().path("error").path("details").path("reason").asText())
                    .isEqualTo("registration_closed");

            assertThat(server.patch("/api/admin/settings", Map.of("registrationOpen", true)).status()).isEqualTo(200);
            TestServer.Reply registered = server.as(null).post("/api/auth/register", alice);
            assertThat(registered.status()).isEqualTo(201);
            assertThat(registered.json().path("user").path("role").asText()).isEqualTo("user");
            assertThat(registered.body()).doesNotContain(ALICE_PASSWORD);
            String token = registered.json().path("accessToken").asText();
            JsonNode me = server.as(token).get("/api/auth/me").json();
            assertThat(me.path("username").asText()).isEqualTo("alice");
            assertThat(me.path("via").asText()).isEqualTo("session");

            TestServer.Reply again = server.as(null).post("/api/auth/register", alice);
            assertThat(again.status()).isEqualTo(409);
            TestServer.Reply weak = server.as(null).post("/api/auth/register",
                    Map.of("username", "carol", "password", "short"));
            assertThat(weak.status()).isEqualTo(400);
            assertThat(weak.errorField()).isEqualTo("password");
            TestServer.Reply badName = server.as(null).post("/api/auth/register",
                    Map.of("username", "operator", "password", ALICE_PASSWORD));
            assertThat(badName.errorField()).isEqualTo("username");
        }
    }

    @Test
    void wrongPasswordsAndUnknownNamesGetTheSameAnswer() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            TestServer.Reply wrong = server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", "not-her-password"));
            TestServer.Reply unknown = server.as(null).post("/api/auth/login",
                    Map.of("username", "nobody", "password", "not-her-password"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(wrong.json().path("error")).isEqualTo(unknown.json().path("error"));
            assertThat(server.as(null).post("/api/auth/login", Map.of("username", "alice")).errorField())
                    .isEqualTo("password");
        }
    }

    @Test
    void twentyFiveWrongPasswordsEndInALockoutThatTheRightPasswordDoesNotLift() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                statuses.add(server.as(null).post("/api/auth/login",
                        Map.of("username", "alice", "password", "guess-number-" + i)).status());
            }
            assertThat(statuses).containsOnly(401, 429);
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses.subList(5, 25)).containsOnly(429);
            TestServer.Reply right = server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD));
            assertThat(right.status()).isEqualTo(429);
            assertThat(right.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(right.body()).doesNotContain("accessToken");
        }
    }

    @Test
    void anAdministratorLiftsALockout() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), "rateLimits: {loginPerIpPerMinute: 100}\n");
        try (TestServer server = TestServer.start(home)) {
            String aliceId = server.createUser("alice", ALICE_PASSWORD, "user");
            for (int i = 0; i < 5; i++) {
                server.as(null).post("/api/auth/login", Map.of("username", "alice", "password", "guess-" + i));
            }
            assertThat(server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD)).status()).isEqualTo(429);
            server.createUser("bob", BOB_PASSWORD, "user");
            String bob = server.login("bob", BOB_PASSWORD);
            assertThat(server.as(bob).post("/api/admin/users/" + aliceId + "/unlock", Map.of()).status())
                    .isEqualTo(403);

            assertThat(server.post("/api/admin/users/" + aliceId + "/unlock", Map.of()).status()).isEqualTo(200);
            server.login("alice", ALICE_PASSWORD);
            assertThat(server.get("/api/admin/audit?type=admin.user.unlock").json().path("events")).hasSize(1);
        }
    }

    @Test
    void logoutEndsTheSessionAtOnce() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            String token = server.login("alice", ALICE_PASSWORD);
            assertThat(server.as(token).get("/api/sessions").status()).isEqualTo(200);
            assertThat(server.as(token).post("/api/auth/logout", Map.of()).json().path("sessionEnded").asBoolean())
                    .isTrue();
            TestServer.Reply after = server.as(token).get("/api/sessions");
            assertThat(after.status()).isEqualTo(401);
            assertThat(after.raw().headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void aRefreshTokenWorksOnceAndItsReuseEndsTheSession() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            JsonNode first = server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD)).json();
            TestServer.Reply refreshed = server.as(null).post("/api/auth/refresh",
                    Map.of("refreshToken", first.path("refreshToken").asText()));
            assertThat(refreshed.status()).isEqualTo(200);
            String newAccess = refreshed.json().path("accessToken").asText();
            assertThat(refreshed.json().path("refreshToken").asText()).isNotEqualTo(first.path("refreshToken").asText());
            assertThat(server.as(newAccess).get("/api/auth/me").status()).isEqualTo(200);

            TestServer.Reply reused = server.as(null).post("/api/auth/refresh",
                    Map.of("refreshToken", first.path("refreshToken").asText()));
            assertThat(reused.status()).isEqualTo(401);
            // someone replayed a spent token: the session it belonged to ends, for the thief and the owner
            assertThat(server.as(newAccess).get("/api/auth/me").status()).isEqualTo(401);
            assertThat(server.as(null).post("/api/auth/refresh",
                    Map.of("refreshToken", refreshed.json().path("refreshToken").asText())).status()).isEqualTo(401);
        }
    }

    @Test
    void changingThePasswordEndsTheOtherSessions() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            String phone = server.login("alice", ALICE_PASSWORD);
            String laptop = server.login("alice", ALICE_PASSWORD);
            TestServer.Reply wrongCurrent = server.as(laptop).post("/api/auth/password",
                    Map.of("currentPassword", "nope-nope-nope", "newPassword", "a-new-password-1"));
            assertThat(wrongCurrent.errorField()).isEqualTo("currentPassword");
            assertThat(server.as(laptop).post("/api/auth/password",
                    Map.of("currentPassword", ALICE_PASSWORD, "newPassword", "a-new-password-1")).status())
                    .isEqualTo(200);
            assertThat(server.as(laptop).get("/api/auth/me").status()).isEqualTo(200);
            assertThat(server.as(phone).get("/api/auth/me").status()).isEqualTo(401);
            assertThat(server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD)).status()).isEqualTo(401);
            server.login("alice", "a-new-password-1");
        }
    }

    @Test
    void expiredForgedAndUnsignedTokensAreRefused() throws Exception {
        try (TestServer server = TestServer.start(home)) {
            String userId = server.createUser("alice", ALICE_PASSWORD, "user");
            String valid = server.login("alice", ALICE_PASSWORD);
            String sessionId = SignedJWT.parse(valid).getJWTClaimsSet().getStringClaim("sid");
            byte[] key = Base64.getDecoder().decode(Files.readString(new Home(home).tokenKeyFile()).strip());

            String expired = sign(key, JWSAlgorithm.HS256, userId, sessionId, Instant.now().minusSeconds(60));
            String forged = sign("another key that is long enough 32".getBytes(StandardCharsets.UTF_8),
                    JWSAlgorithm.HS256, userId, sessionId, Instant.now().plusSeconds(600));
            String otherAlgorithm = sign(padTo64(key), JWSAlgorithm.HS512, userId, sessionId,
                    Instant.now().plusSeconds(600));
            String[] parts = valid.split("\\.");
            String unsigned = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + parts[1] + ".";
            String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                            .replace(userId, "operator").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            String stillGood = sign(key, JWSAlgorithm.HS256, userId, sessionId, Instant.now().plusSeconds(600));

            for (String bad : List.of(expired, forged, otherAlgorithm, unsigned, tampered, "a.b.c", "garbage")) {
                TestServer.Reply reply = server.as(bad).get("/api/auth/me");
                assertThat(reply.status()).as(bad).isEqualTo(401);
                assertThat(reply.json().path("error").path("code").asText()).isEqualTo("unauthorized");
            }
            assertThat(server.as(stillGood).get("/api/auth/me").status()).isEqualTo(200);
        }
    }

    private static byte[] padTo64(byte[] key) {
        byte[] longer = new byte[64];
        System.arraycopy(key, 0, longer, 0, key.length);
        return longer;
    }

    private static String sign(byte[] key, JWSAlgorithm algorithm, String userId, String sessionId, Instant expires)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), new JWTClaimsSet.Builder()
                .issuer("switchboard").subject(userId).claim("sid", sessionId)
                .issueTime(Date.from(expires.minusSeconds(900))).expirationTime(Date.from(expires)).build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    @Test
    void personalAccessTokensHaveScopesAndStopWorkingWhenRevoked() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            String session = server.login("alice", ALICE_PASSWORD);
            TestServer.Reply created = server.as(session).post("/api/api-tokens",
                    Map.of("name", "reader", "scopes", List.of("read"), "expiresInDays", 30));
            assertThat(created.status()).isEqualTo(201);
            String pat = created.json().path("token").asText();
            assertThat(pat).startsWith("sbp_");

            assertThat(server.as(pat).get("/api/sessions").status()).isEqualTo(200);
            TestServer.Reply write = server.as(pat).post("/api/sessions", Map.of());
            assertThat(write.status()).isEqualTo(403);
            assertThat(write.json().path("error").path("details").path("required").asText()).isEqualTo("write");

            JsonNode listed = server.as(session).get("/api/api-tokens").json().path("tokens").get(0);
            assertThat(listed.has("token")).isFalse();
            assertThat(listed.path("lastUsedAt").isTextual()).isTrue();
            assertThat(server.as(session).get("/api/api-tokens").body()).doesNotContain(pat);

            TestServer.Reply admin = server.as(session).post("/api/api-tokens",
                    Map.of("name", "x", "scopes", List.of("admin")));
            assertThat(admin.status()).isEqualTo(403);
            assertThat(server.as(session).post("/api/api-tokens", Map.of("name", "x", "scopes", List.of("root")))
                    .errorField()).isEqualTo("scopes");

            assertThat(server.as(session).delete("/api/api-tokens/" + listed.path("id").asText()).status())
                    .isEqualTo(200);
            assertThat(server.as(pat).get("/api/sessions").status()).isEqualTo(401);
        }
    }

    @Test
    void adminRoutesRefuseUsersAndDisablingAUserLocksThemOut() {
        try (TestServer server = TestServer.start(home)) {
            String aliceId = server.createUser("alice", ALICE_PASSWORD, "user");
            String alice = server.login("alice", ALICE_PASSWORD);
            TestServer.Reply refused = server.as(alice).get("/api/admin/users");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("error").path("code").asText()).isEqualTo("forbidden");

            server.createUser("root", BOB_PASSWORD, "admin");
            String root = server.login("root", BOB_PASSWORD);
            assertThat(server.as(root).get("/api/admin/users").json().path("users")).hasSize(2);
            TestServer.Reply selfDisable = server.as(root).patch("/api/admin/users/"
                    + server.as(root).get("/api/auth/me").json().path("id").asText(), Map.of("disabled", true));
            assertThat(selfDisable.status()).isEqualTo(409);

            assertThat(server.as(root).post("/api/admin/users/" + aliceId + "/disable", Map.of()).json()
                    .path("disabled").asBoolean()).isTrue();
            assertThat(server.as(alice).get("/api/auth/me").status()).isEqualTo(401);
            assertThat(server.as(null).post("/api/auth/login", Map.of("username", "alice", "password",
                    ALICE_PASSWORD)).status()).isEqualTo(401);
            server.as(root).post("/api/admin/users/" + aliceId + "/enable", Map.of());
            server.login("alice", ALICE_PASSWORD);

            assertThat(server.as(root).patch("/api/admin/users/" + aliceId, Map.of("role", "owner")).errorField())
                    .isEqualTo("role");
            assertThat(server.as(root).get("/api/admin/users/usr_missing").status()).isEqualTo(404);

            JsonNode audit = server.as(root).get("/api/admin/audit?type=auth.login").json().path("events");
            assertThat(audit.findValuesAsText("outcome")).contains("success", "failure");
            assertThat(server.as(root).get("/api/admin/audit?limit=0").errorField()).isEqualTo("limit");
            assertThat(server.as(root).get("/api/admin/audit?since=yesterday").errorField()).isEqualTo("since");
            assertThat(server.get("/api/admin/audit").body()).doesNotContain(ALICE_PASSWORD, BOB_PASSWORD);
        }
    }

    @Test
    void totpCodesWorkOnceAndBackupCodesToo() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            String session = server.login("alice", ALICE_PASSWORD);
            JsonNode setup = server.as(session).post("/api/auth/totp/setup", Map.of()).json();
            String secret = setup.path("secret").asText();
            assertThat(setup.path("otpauthUri").asText()).startsWith("otpauth://totp/Switchboard%3Aalice?secret=");

            assertThat(server.as(session).post("/api/auth/totp/enable", Map.of("code", "000000")).errorField())
                    .isEqualTo("code");
            String code = code(secret);
            JsonNode enabled = server.as(session).post("/api/auth/totp/enable", Map.of("code", code)).json();
            assertThat(enabled.path("backupCodes")).hasSize(10);
            String backup = enabled.path("backupCodes").get(0).asText();

            TestServer.Reply missing = server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD));
            assertThat(missing.json().path("error").path("code").asText()).isEqualTo("totp_required");
            // the code that enabled TOTP was used up: replaying it within its window is refused
            TestServer.Reply replayed = server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD, "totpCode", code));
            assertThat(replayed.status()).isEqualTo(401);
            assertThat(replayed.json().path("error").path("code").asText()).isEqualTo("invalid_totp");

            TestServer.Reply withBackup = server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD, "totpCode", backup));
            assertThat(withBackup.status()).isEqualTo(200);
            assertThat(withBackup.json().path("user").path("totpEnabled").asBoolean()).isTrue();
            assertThat(server.as(null).post("/api/auth/login",
                    Map.of("username", "alice", "password", ALICE_PASSWORD, "totpCode", backup)).status())
                    .isEqualTo(401);
            assertThat(server.as(session).get("/api/auth/me").json().path("backupCodesLeft").asInt()).isEqualTo(9);

            String second = enabled.path("backupCodes").get(1).asText();
            assertThat(server.as(session).post("/api/auth/totp/disable", Map.of("code", second)).status())
                    .isEqualTo(200);
            server.login("alice", ALICE_PASSWORD);
        }
    }

    private static String code(String secret) {
        return String.format("%06d", TwoFactor.codeFor(secret, Instant.now()));
    }

    @Test
    void theSetupTokenCreatesTheFirstAdministratorOnce() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Home h = new Home(home);
        Map<String, String> env = Map.of("SWITCHBOARD_API_KEY", TestServer.KEY);
        try (Switchboard server = Switchboard.start(h, ServerConfig.defaults().withPort(0), env,
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            String token = console.toString(StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> l.startsWith("sbs_")).findFirst().orElseThrow();
            TestServer client = TestServer.attach(server);
            JsonNode state = client.as(null).get("/api/setup-state").json();
            assertThat(state.path("setupComplete").asBoolean()).isFalse();
            assertThat(state.path("hasAdmin").asBoolean()).isFalse();

            TestServer.Reply wrong = client.as(null).post("/api/setup-state/complete",
                    Map.of("setupToken", "sbs_wrong", "username", "root", "password", ALICE_PASSWORD));
            assertThat(wrong.status()).isEqualTo(401);
            TestServer.Reply typo = client.as(null).post("/api/setup-state/complete",
                    Map.of("setupToken", token, "username", "root", "password", "short"));
            assertThat(typo.errorField()).isEqualTo("password");
            TestServer.Reply done = client.as(null).post("/api/setup-state/complete",
                    Map.of("setupToken", token, "username", "root", "password", ALICE_PASSWORD));
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.json().path("user").path("role").asText()).isEqualTo("admin");
            String admin = done.json().path("accessToken").asText();
            assertThat(client.as(admin).get("/api/admin/users").status()).isEqualTo(200);
            assertThat(client.as(null).post("/api/setup-state/complete",
                    Map.of("setupToken", token, "username", "root2", "password", ALICE_PASSWORD)).status())
                    .isEqualTo(409);
            assertThat(client.as(null).get("/api/setup-state").json().path("setupComplete").asBoolean()).isTrue();
        }
        console.reset();
        try (Switchboard again = Switchboard.start(h, ServerConfig.defaults().withPort(0), env,
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("sbs_");
        }
    }

    @Test
    void aLinkCodeLinksAChannelIdentityOnce() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", ALICE_PASSWORD, "user");
            String alice = server.login("alice", ALICE_PASSWORD);
            TestServer.Reply code = server.post("/api/admin/link-codes",
                    Map.of("channel", "telegram", "externalId", "12345"));
            assertThat(code.status()).isEqualTo(201);
            assertThat(server.as(alice).post("/api/admin/link-codes",
                    Map.of("channel", "telegram", "externalId", "1")).status()).isEqualTo(403);
            TestServer.Reply linked = server.as(alice).post("/api/auth/link",
                    Map.of("code", code.json().path("code").asText()));
            assertThat(linked.status()).isEqualTo(200);
            assertThat(linked.json().path("externalId").asText()).isEqualTo("12345");
            assertThat(server.as(alice).get("/api/auth/links").json().path("links")).hasSize(1);
            assertThat(server.as(alice).post("/api/auth/link", Map.of("code", code.json().path("code").asText()))
                    .status()).isEqualTo(404);
            assertThat(server.post("/api/admin/link-codes", Map.of("channel", "Tele gram", "externalId", "1"))
                    .errorField()).isEqualTo("channel");
        }
    }
}
