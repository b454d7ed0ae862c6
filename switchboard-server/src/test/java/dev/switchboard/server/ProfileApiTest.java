package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider/model profiles (/v1/profiles) through HTTP: the default agent's next run uses the switched model. */
class ProfileApiTest {

    @TempDir
    Path home;

    @Test
    void aSwitchedProfileIsWhatTheDefaultAgentsNextRunCallsAndSurvivesARestart() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("Hello."));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                JsonNode listed = server.get("/v1/profiles").json();
                assertThat(listed.path("currentProfileId").asText()).isEqualTo("agent-file");
                JsonNode builtIn = listed.path("profiles").get(0);
                assertThat(builtIn.path("builtIn").asBoolean()).isTrue();
                assertThat(builtIn.path("model").asText()).isEqualTo("test-model");
                assertThat(builtIn.path("provider").asText()).isEqualTo("openai-compatible");
                assertThat(listed.toString()).doesNotContain("test-llm-key");

                TestServer.Reply imported = server.post("/v1/profiles/import", Map.of("version", 1, "profile",
                        Map.of("id", "fast", "name", "Fast", "provider", "openai-compatible",
                                "model", "switched-model", "baseURL", fake.openAiBaseUrl(), "temperature", 0.2,
                                "maxTokens", 256)));
                assertThat(imported.status()).as(imported.body()).isEqualTo(201);
                assertThat(imported.json().path("isCurrent").asBoolean()).isFalse();

                TestServer.Reply switched = server.post("/v1/profiles/current", Map.of("profileId", "fast"));
                assertThat(switched.status()).as(switched.body()).isEqualTo(200);
                assertThat(switched.json().path("id").asText()).isEqualTo("fast");
                assertThat(switched.json().path("resolved").path("model").asText()).isEqualTo("switched-model");
                assertThat(server.get("/v1/profiles/current").json().path("id").asText()).isEqualTo("fast");

                server.post("/api/message-sync", Map.of("sessionId", "s1", "content", "hello"));
                var call = fake.awaitRequests(1, Duration.ofSeconds(10));
                assertThat(call.model()).isEqualTo("switched-model");
                // the key stays the agent file's own: the profile names the same provider and no key
                assertThat(call.header("Authorization")).isEqualTo("Bearer test-llm-key");
                assertThat(call.body().path("temperature").asDouble()).isEqualTo(0.2);

                // the export round trip: what one server exports, another (here: this one, after a delete) imports
                JsonNode exported = server.get("/v1/profiles/fast/export").json();
                assertThat(exported.path("version").asInt()).isEqualTo(1);
                assertThat(exported.path("profile").path("model").asText()).isEqualTo("switched-model");
                assertThat(exported.path("profile").has("apiKey")).isFalse();
                TestServer.Reply deleted = server.delete("/v1/profiles/fast");
                assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
                assertThat(deleted.json().path("currentProfileId").asText()).isEqualTo("agent-file");
                assertThat(server.get("/v1/profiles/fast/export").status()).isEqualTo(404);
                TestServer.Reply again = server.post("/v1/profiles/import", exported);
                assertThat(again.status()).as(again.body()).isEqualTo(201);
                assertThat(server.post("/v1/profiles/current", Map.of("profileId", "fast")).status()).isEqualTo(200);

                server.restart();
                assertThat(server.get("/v1/profiles/current").json().path("id").asText()).isEqualTo("fast");
                server.post("/api/message-sync", Map.of("sessionId", "s2", "content", "hello again"));
                assertThat(fake.awaitRequests(2, Duration.ofSeconds(10)).model()).isEqualTo("switched-model");

                // back to the agent's own file
                assertThat(server.post("/v1/profiles/current", Map.of("profileId", "agent-file")).status())
                        .isEqualTo(200);
                server.post("/api/message-sync", Map.of("sessionId", "s3", "content", "and again"));
                assertThat(fake.awaitRequests(3, Duration.ofSeconds(10)).model()).isEqualTo("test-model");
            }
        }
    }

    @Test
    void importChecksEveryFieldRefusesLiteralKeysAndOnlyAdministratorsWrite() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                Map<String, Object> good = Map.of("name", "Claude", "provider", "anthropic", "model", "claude-x");
                assertThat(field(server, with(good, "provider", "skynet"))).isEqualTo("provider");
                assertThat(field(server, without(good, "model"))).isEqualTo("model");
                assertThat(field(server, without(good, "name"))).isEqualTo("name");
                assertThat(field(server, with(good, "temperature", 3))).isEqualTo("temperature");
                assertThat(field(server, with(good, "maxTokens", 0))).isEqualTo("maxTokens");
                assertThat(field(server, with(good, "baseURL", "ftp://example.com"))).isEqualTo("baseURL");
                assertThat(field(server, with(good, "id", "Not An Id"))).isEqualTo("id");
                assertThat(field(server, with(good, "id", "agent-file"))).isEqualTo("id");
                assertThat(field(server, with(good, "systemPrompt", "x"))).isEqualTo("systemPrompt");
                assertThat(field(server, Map.of("name", "Local", "provider", "openai-compatible", "model", "m")))
                        .isEqualTo("baseURL");
                assertThat(field(server, Map.of("version", 2, "profile", good))).isEqualTo("version");

                String literal = TestSecrets.register("sk-ant-literal-key-0123456789abcdef");
                TestServer.Reply refused = server.post("/v1/profiles/import", with(good, "apiKey", literal));
                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.errorField()).isEqualTo("apiKey");
                assertThat(refused.body()).doesNotContain(literal);
                assertThat(server.get("/v1/profiles").json().path("profiles")).hasSize(1);

                // sent as text: a reference is no secret, and the test client registers every apiKey it sees as one
                TestServer.Reply referenced = server.post("/v1/profiles/import", TestServer.JSON.writeValueAsString(
                        with(with(good, "apiKey", "$VAULT:llm.anthropic"), "id", "claude")));
                assertThat(referenced.status()).as(referenced.body()).isEqualTo(201);
                assertThat(server.get("/v1/profiles/claude/export").json().path("profile").path("apiKey").asText())
                        .isEqualTo("$VAULT:llm.anthropic");
                assertThat(server.post("/v1/profiles/import", with(good, "id", "claude")).status()).isEqualTo(409);

                assertThat(server.post("/v1/profiles/current", Map.of("profileId", "nope")).errorField())
                        .isEqualTo("profileId");
                assertThat(server.delete("/v1/profiles/agent-file").status()).isEqualTo(409);
                assertThat(server.delete("/v1/profiles/nope").status()).isEqualTo(404);

                server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
                TestServer.Client alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
                assertThat(alice.get("/v1/profiles").json().path("profiles")).hasSize(2);
                assertThat(alice.get("/v1/profiles/current").status()).isEqualTo(200);
                assertThat(alice.get("/v1/profiles/claude/export").status()).isEqualTo(200);
                assertThat(alice.post("/v1/profiles/current", Map.of("profileId", "claude")).status()).isEqualTo(403);
                assertThat(alice.post("/v1/profiles/import", with(good, "id", "mine")).status()).isEqualTo(403);
                assertThat(alice.delete("/v1/profiles/claude").status()).isEqualTo(403);
            }
        }
    }

    private static String field(TestServer server, Map<String, Object> body) {
        TestServer.Reply reply = server.post("/v1/profiles/import", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        return reply.errorField();
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> base, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.remove(key);
        return copy;
    }
}
