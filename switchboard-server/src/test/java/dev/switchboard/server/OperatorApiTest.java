package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.operator.PairingTest;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The operator API of seed 000 through real HTTP: status, rings, audit, actions, integrations, access. */
class OperatorApiTest {

    private static final String USER_PASSWORD = "operator-test-user-password-1";

    @TempDir
    Path home;

    @Test
    void statusHealthAndTheRemoteServerSnapshotTellTheTruthWithoutSecrets() {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply status = server.get("/v1/operator/status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().path("version").asText()).isEqualTo(Version.current());
            assertThat(status.json().path("agents").path("total").asInt()).isEqualTo(1);
            assertThat(status.json().path("runs").path("active").asInt()).isZero();
            assertThat(status.json().path("mcp").path("total").asInt()).isZero();

            JsonNode health = server.get("/v1/operator/health").json();
            assertThat(health.path("java").path("version").asText()).isEqualTo(Runtime.version().toString());
            assertThat(health.path("database").asText()).isEqualTo("sqlite");
            assertThat(health.path("memory").path("heapMaxBytes").asLong()).isPositive();

            TestServer.Reply remote = server.get("/v1/operator/remote-server");
            assertThat(remote.json().path("bindAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(remote.json().path("port").asInt()).isEqualTo(server.switchboard().port());
            assertThat(remote.json().path("baseUrl").asText()).isEqualTo(server.switchboard().baseUrl());
            assertThat(remote.json().path("loopbackOnly").asBoolean()).isTrue();
            assertThat(remote.json().path("auth").path("apiKeySource").asText()).isEqualTo("environment");
            assertThat(remote.json().path("cors").path("enabled").asBoolean()).isFalse();
            assertThat(remote.json().path("rateLimits").path("perIpPerMinute").asInt()).isEqualTo(600);
            assertThat(remote.body()).doesNotContain(TestServer.KEY);
        }
    }

    @Test
    void usersAreRefusedTheOperatorRoutes() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("olga", USER_PASSWORD, "user");
            String olga = server.login("olga", USER_PASSWORD);
            for (String path : List.of("/v1/operator/status", "/v1/operator/errors", "/v1/operator/conversations",
                    "/v1/operator/audit")) {
                assertThat(server.as(olga).get(path).status()).as(path).isEqualTo(403);
            }
            TestServer.Reply rotate = server.as(olga).post("/v1/operator/access/rotate-api-key", Map.of());
            assertThat(rotate.status()).isEqualTo(403);
            assertThat(server.get("/v1/operator/status").status()).isEqualTo(200);
        }
    }

    @Test
    void anErrorLoggedShowsUpInTheErrorRingAndTheQueryIsValidated() {
        try (TestServer server = TestServer.start(home)) {
            String marker = "operator-ring-probe-" + UUID.randomUUID();
            LoggerFactory.getLogger("dev.switchboard.test.OperatorRing").error("Something broke: {}", marker,
                    new IllegalStateException("detail that stays out of the ring"));
            LoggerFactory.getLogger("dev.switchboard.test.OperatorRing").info("Informational: {}", marker);
            LoggerFactory.getLogger("dev.switchboard.test.OperatorRing").debug("Too fine: {}", marker);

            JsonNode errors = server.get("/v1/operator/errors").json().path("errors");
            JsonNode error = find(errors, "Something broke: " + marker);
            assertThat(error).as(errors.toString()).isNotNull();
            assertThat(error.path("level").asText()).isEqualTo("ERROR");
            assertThat(error.path("logger").asText()).isEqualTo("dev.switchboard.test.OperatorRing");
            assertThat(error.path("exception").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(Instant.parse(error.path("at").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(errors.toString()).doesNotContain("detail that stays out of the ring");
            assertThat(find(errors, "Informational: " + marker)).isNull();

            JsonNode logs = server.get("/v1/operator/logs").json().path("logs");
            assertThat(find(logs, "Informational: " + marker)).isNotNull();
            assertThat(find(logs, "Something broke: " + marker)).isNotNull();
            assertThat(find(logs, "Too fine: " + marker)).isNull();

            assertThat(server.get("/v1/operator/status").json().path("lastHour").path("errors").asInt())
                    .isGreaterThanOrEqualTo(1);
            assertThat(server.get("/v1/operator/errors?limit=1").json().path("errors")).hasSize(1);
            String future = Instant.now().plus(Duration.ofHours(1)).toString();
            assertThat(server.get("/v1/operator/errors?since=" + future).json().path("errors")).isEmpty();
            assertThat(server.get("/v1/operator/logs?since=" + Instant.now().minusSeconds(60)).json().path("logs")
                    .toString()).contains(marker);
            for (String bad : List.of("limit=0", "limit=abc", "limit=100000", "since=yesterday")) {
                TestServer.Reply reply = server.get("/v1/operator/errors?" + bad);
                assertThat(reply.status()).as(bad).isEqualTo(400);
                assertThat(reply.errorField()).as(bad).isEqualTo(bad.substring(0, bad.indexOf('=')));
            }
            assertThat(server.get("/v1/operator/logs?limit=-1").status()).isEqualTo(400);
        }
    }

    @Test
    void runAgentStartsARunThatTheOperatorSeesAndTheAuditLogRecordsWithTheAddress() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("Operator reply that stays out of the overview."));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                TestServer.Reply run = server.post("/v1/operator/actions/run-agent",
                        Map.of("agentId", "default", "message", "Report the status"));
                assertThat(run.status()).as(run.body()).isEqualTo(202);
                String sessionId = run.json().path("sessionId").asText();
                assertThat(run.json().path("messageId").asText()).isNotEmpty();
                assertThat(run.json().path("agentId").asText()).isEqualTo("default");
                awaitIdle(server, sessionId);
                assertThat(fake.requests()).hasSize(1);

                TestServer.Reply again = server.post("/v1/operator/actions/run-agent",
                        Map.of("message", "And again", "sessionId", sessionId));
                assertThat(again.json().path("sessionId").asText()).isEqualTo(sessionId);
                awaitIdle(server, sessionId);

                TestServer.Reply list = server.get("/v1/operator/conversations");
                JsonNode conversation = list.json().path("conversations").get(0);
                assertThat(conversation.path("id").asText()).isEqualTo(sessionId);
                assertThat(conversation.path("ownerId").asText()).isEqualTo("operator");
                assertThat(conversation.path("agentId").asText()).isEqualTo("default");
                assertThat(conversation.path("messageCount").asInt()).isEqualTo(4);
                assertThat(list.body()).doesNotContain("Operator reply").doesNotContain("Report the status");

                JsonNode events = server.get("/v1/operator/audit?type=operator.").json().path("events");
                assertThat(events).isNotEmpty();
                JsonNode latest = events.get(0);
                assertThat(latest.path("type").asText()).isEqualTo("operator.run-agent");
                assertThat(latest.path("actorId").asText()).isEqualTo("operator");
                assertThat(latest.path("ip").asText()).isEqualTo("127.0.0.1");
                assertThat(latest.path("targetId").asText()).isEqualTo(sessionId);

                assertThat(server.post("/v1/operator/actions/run-agent", Map.of()).errorField())
                        .isEqualTo("message");
                assertThat(server.post("/v1/operator/actions/run-agent", Map.of("message", "x", "agentId", "ghost"))
                        .errorField()).isEqualTo("agentId");
                assertThat(server.post("/v1/operator/actions/run-agent", Map.of("message", "x", "typo", 1))
                        .errorField()).isEqualTo("typo");
            }
        }
    }

    @Test
    void integrationsThatDoNotExistSaySoAndTheirActionsAreRefusedWith409() {
        try (TestServer server = TestServer.start(home)) {
            for (String path : List.of("/v1/operator/tunnel", "/v1/operator/whatsapp", "/v1/operator/discord",
                    "/v1/operator/updater", "/v1/operator/tunnel/setup", "/v1/operator/discord/logs")) {
                TestServer.Reply reply = server.get(path);
                assertThat(reply.status()).as(path).isEqualTo(200);
                assertThat(reply.json().path("configured").asBoolean(true)).as(path).isFalse();
                assertThat(reply.json().path("available").asBoolean(true)).as(path).isFalse();
                assertThat(reply.json().path("reason").asText()).as(path).isNotBlank();
            }
            assertThat(server.get("/v1/operator/discord/logs").json().path("logs")).isEmpty();
            assertThat(server.get("/v1/operator/updater").json().path("currentVersion").asText())
                    .isEqualTo(Version.current());
            for (String action : List.of("tunnel/start", "tunnel/stop", "whatsapp/connect", "whatsapp/logout",
                    "discord/connect", "discord/disconnect", "discord/logs/clear", "updater/check",
                    "updater/download-latest", "updater/reveal-download", "updater/open-download",
                    "updater/open-releases", "actions/restart-app", "actions/restart-remote-server")) {
                TestServer.Reply reply = server.post("/v1/operator/" + action, Map.of());
                assertThat(reply.status()).as(action).isEqualTo(409);
                assertThat(reply.json().path("error").path("code").asText()).as(action).isEqualTo("not_available");
                assertThat(reply.json().path("error").path("details").path("needs").asText()).as(action)
                        .isNotBlank();
            }
            JsonNode integrations = server.get("/v1/operator/integrations").json().path("integrations");
            assertThat(integrations.path("tunnel").path("available").asBoolean()).isFalse();
            assertThat(integrations.path("push").path("configured").isBoolean()).isTrue();
            assertThat(integrations.path("mcp").path("available").asBoolean()).isTrue();
            assertThat(integrations.path("mcp").path("total").asInt()).isZero();
            assertThat(server.get("/v1/operator/audit?type=operator.integration").json().path("events").size())
                    .isEqualTo(12);
        }
    }

    @Test
    void mcpRestartOfAnUnknownServerIs404AndOfEveryServerAnswersWhatItRestarted() {
        try (TestServer server = TestServer.start(home)) {
            JsonNode mcp = server.get("/v1/operator/mcp").json();
            assertThat(mcp.path("agents").get(0).path("agentId").asText()).isEqualTo("default");
            assertThat(mcp.path("total").asInt()).isZero();
            TestServer.Reply all = server.post("/v1/operator/actions/mcp-restart", Map.of());
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.json().path("restarted").asInt()).isZero();
            assertThat(server.post("/v1/operator/actions/mcp-restart", Map.of("name", "nope")).status())
                    .isEqualTo(404);
            assertThat(server.post("/v1/operator/actions/mcp-restart", Map.of("agentId", "ghost")).errorField())
                    .isEqualTo("agentId");
        }
    }

    @Test
    void rotatingTheKeyRetiresTheOldOneAtOnceAndTheNewOneSurvivesARestart() throws Exception {
        String oldKey = TestSecrets.register("sb_operator-test-old-key-" + UUID.randomUUID());
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/api-key.sha256"), sha256(oldKey) + "\n");
        // a blank SWITCHBOARD_API_KEY counts as unset: the server uses the stored hash
        try (TestServer server = TestServer.start(home, Map.of("SWITCHBOARD_API_KEY", ""))) {
            assertThat(server.as(oldKey).get("/v1/operator/remote-server").json().path("auth")
                    .path("apiKeySource").asText()).isEqualTo("home");

            HttpResponse<String> rotated = unrecorded(server, "/v1/operator/access/rotate-api-key", oldKey);
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            assertThat(rotated.headers().firstValue("Cache-Control")).contains("no-store");
            String newKey = TestSecrets.register(TestServer.JSON.readTree(rotated.body()).path("apiKey").asText());
            assertThat(newKey).startsWith("sb_").isNotEqualTo(oldKey);

            assertThat(server.as(oldKey).get("/v1/operator/status").status()).isEqualTo(401);
            assertThat(server.as(newKey).get("/v1/operator/status").status()).isEqualTo(200);
            assertThat(Files.readString(home.resolve("data/api-key.sha256")).strip()).isEqualTo(sha256(newKey));
            assertThat(Files.exists(home.resolve("data/api-key.sha256.next"))).isFalse();
            JsonNode event = server.as(newKey).get("/v1/operator/audit?type=operator.api-key").json()
                    .path("events").get(0);
            assertThat(event.path("outcome").asText()).isEqualTo("success");
            assertThat(event.path("ip").asText()).isEqualTo("127.0.0.1");

            server.restart();
            assertThat(server.as(newKey).get("/v1/operator/status").status()).isEqualTo(200);
            assertThat(server.as(oldKey).get("/v1/operator/status").status()).isEqualTo(401);
        }
    }

    @Test
    void aKeyFromTheEnvironmentCannotBeRotated() {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply refused = server.post("/v1/operator/access/rotate-api-key", Map.of());
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("error").path("message").asText()).contains("SWITCHBOARD_API_KEY");
            assertThat(refused.body()).doesNotContain(TestServer.KEY);
            assertThat(server.get("/v1/operator/status").status()).isEqualTo(200);
            assertThat(server.get("/v1/operator/audit?type=operator.api-key").json().path("events").get(0)
                    .path("outcome").asText()).isEqualTo("denied");
            assertThat(server.post("/v1/operator/access/rotate-api-key", Map.of("extra", 1)).errorField())
                    .isEqualTo("extra");
        }
    }

    @Test
    void pairingMintsATokenAndAnswersTheDeepLinkAndAQrCodeOfIt() throws Exception {
        try (TestServer server = TestServer.start(home)) {
            HttpResponse<String> paired = unrecorded(server, "/v1/operator/pairing", TestServer.KEY);
            assertThat(paired.statusCode()).as(paired.body()).isEqualTo(201);
            assertThat(paired.headers().firstValue("Cache-Control")).contains("no-store");
            JsonNode json = TestServer.JSON.readTree(paired.body());
            String token = TestSecrets.register(json.path("apiKey").asText());
            String base = server.switchboard().baseUrl();
            assertThat(json.path("baseUrl").asText()).isEqualTo(base);
            assertThat(json.path("apiBaseUrl").asText()).isEqualTo(base + "/v1");
            assertThat(json.path("deepLink").asText()).isEqualTo("dotagents://config?baseUrl="
                    + java.net.URLEncoder.encode(base + "/v1", StandardCharsets.UTF_8) + "&apiKey=" + token);
            assertThat(PairingTest.decode(json.path("qr").asText().lines().toList(), false))
                    .isEqualTo(json.path("deepLink").asText());
            assertThat(json.path("scopes").toString()).isEqualTo("[\"read\",\"write\"]");

            assertThat(server.as(token).get("/api/sessions").status()).isEqualTo(200);
            assertThat(server.as(token).get("/v1/operator/status").status()).isEqualTo(403);
            assertThat(server.get("/api/api-tokens").json().path("tokens").findValuesAsText("id"))
                    .contains(json.path("tokenId").asText());

            assertThat(server.post("/v1/operator/pairing", Map.of("baseUrl", "ftp://phone")).errorField())
                    .isEqualTo("baseUrl");
            assertThat(server.post("/v1/operator/pairing", Map.of("scopes", List.of("everything"))).errorField())
                    .isEqualTo("scopes");
            assertThat(server.get("/api/api-tokens").json().path("tokens")).hasSize(1);
        }
    }

    /**
     * The one answer that is meant to show a new secret, sent past the recording client: the secrets scan then
     * proves that the secret appears nowhere else.
     */
    private static HttpResponse<String> unrecorded(TestServer server, String path, String key) throws Exception {
        try (HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return plain.send(server.request(path, key).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void awaitIdle(TestServer server, String sessionId) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode status = server.get("/v1/operator/status").json().path("runs");
            if (status.path("active").asInt() == 0 && status.path("queuedMessages").asInt() == 0
                    && server.get("/api/sessions/" + sessionId).json().path("session").path("messageCount").asInt() > 0) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the run of " + sessionId + " did not finish");
    }

    private static JsonNode find(JsonNode entries, String message) {
        for (JsonNode entry : entries) {
            if (entry.path("message").asText().equals(message)) {
                return entry;
            }
        }
        return null;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
