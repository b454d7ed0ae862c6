package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {

    @TempDir
    static Path home;

    static FakeLlmServer fake;
    static TestServer server;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
        server.post("/api/sessions", Map.of("sessionId", "known"));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.close();
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
        TestServer.Reply reply = server.post("/api/message", "{\"sessionId\": \"x\", ");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("code").asText()).isEqualTo("invalid_input");
        assertThat(reply.errorField()).isEqualTo("body");
        assertThat(server.post("/api/message", "[1,2]").errorField()).isEqualTo("body");
    }

    @Test
    void missingOrWrongTypedFieldsAreNamed() {
        assertField(server.post("/api/message", Map.of("content", "hi")), 400, "sessionId");
        assertField(server.post("/api/message", Map.of("sessionId", 5, "content", "hi")), 400, "sessionId");
        assertField(server.post("/api/message-sync", Map.of("sessionId", "a")), 400, "content");
        assertField(server.post("/api/message-stream", Map.of("sessionId", "a", "content", 42)), 400, "content");
        assertField(server.post("/api/message", Map.of("sessionId", "a", "content", List.of())), 400, "content");
        assertField(server.post("/api/message", Map.of("sessionId", "a",
                "content", List.of(Map.of("type", "video", "url", "x")))), 400, "content[0].type");
        assertField(server.post("/api/message", Map.of("sessionId", "a",
                "content", List.of(Map.of("type", "image", "image", "!!!", "mimeType", "image/png")))), 400,
                "content[0].image");
        assertField(server.post("/api/message", Map.of("sessionId", "a", "content", "hi", "kind", "urgent")), 400, "kind");
        assertField(server.post("/api/message", Map.of("sessionId", "../etc", "content", "hi")), 400, "sessionId");
        assertField(server.post("/api/sessions/known/cancel", Map.of("clearQueue", "yes")), 400, "clearQueue");
        assertField(server.patch("/api/sessions/known", Map.of("title", "x".repeat(121))), 400, "title");
        assertField(server.patch("/api/sessions/known", Map.of("title", "")), 400, "title");
        assertField(server.patch("/api/sessions/known", Map.of("titel", "typo")), 400, "titel");
        assertField(server.post("/api/sessions", Map.of("agentId", "nobody")), 400, "agentId");
        assertField(server.get("/api/sessions/known/events?after=-3"), 400, "after");
        assertField(server.post("/api/reset", Map.of()), 400, "sessionId");
    }

    @Test
    void pipelineTemplatesAndRunsNameTheWrongField() {
        String t = "/api/pipelines/templates";
        assertField(server.post(t, Map.of("steps", List.of(Map.of("id", "a", "prompt", "x")))), 400, "name");
        assertField(server.post(t, Map.of("name", "n", "steps", "a")), 400, "steps");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", 3)))), 400,
                "steps[0].prompt");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                "approval", "yes")))), 400, "steps[0].approval");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                "retries", -1)))), 400, "steps[0].retries");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                "foreach", "elsewhere")))), 400, "steps[0].foreach");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a",
                "prompt", "{{nonsense}}")))), 400, "steps[0].prompt");
        assertField(server.post("/api/pipelines", Map.of("templateId", 7)), 400, "templateId");
        assertField(server.post("/api/pipelines", Map.of("templateId", "x", "inputs", List.of())), 400, "inputs");
        assertField(server.post("/api/pipelines", Map.of("templateId", "x", "extra", 1)), 400, "extra");
        for (TestServer.Reply reply : List.of(server.get("/api/pipelines/nope"), server.get(t + "/nope"),
                server.post("/api/pipelines/nope/pause", Map.of()), server.post("/api/pipelines/nope/resume", Map.of()),
                server.get("/api/pipelines/nope/checkpoints"))) {
            assertThat(reply.status()).isEqualTo(404);
        }
    }

    @Test
    void modelSwitchesRegistryUsageAndBudgetsNameTheWrongField() {
        assertField(server.post("/api/llm/switch", Map.of("provider", "skynet", "model", "m")), 400, "provider");
        assertField(server.post("/api/llm/switch", Map.of("provider", "anthropic", "model", "claude-0")), 400,
                "model");
        assertField(server.post("/api/llm/switch", Map.of("model", 5)), 400, "model");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "maxOutputTokens", 0)), 400,
                "maxOutputTokens");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "baseURL", "ftp://x")), 400, "baseURL");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "allowedMediaTypes", List.of())), 400,
                "allowedMediaTypes");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "agentId", "nobody")), 400, "agentId");
        assertField(server.get("/api/llm/catalog?scope=everything"), 400, "scope");
        assertField(server.get("/api/llm/catalog?hasKey=maybe"), 400, "hasKey");
        assertField(server.get("/api/llm/capabilities?provider=openai"), 400, "model");
        assertField(server.post("/api/llm/custom-models", Map.of("provider", "ollama")), 400, "name");
        assertField(server.post("/api/models", Map.of("provider", "openai", "model", "gpt-4o")), 400, "name");
        assertField(server.post("/api/models", Map.of("name", "n", "provider", "openai")), 400, "model");
        assertField(server.post("/api/models", Map.of("name", "n", "provider", "openai", "model", "gpt-4o",
                "temperature", "hot")), 400, "temperature");
        assertField(server.put("/api/models/routing/Not%20A%20Topic", Map.of("primary", "x")), 400, "topic");
        assertField(server.put("/api/models/routing/default", Map.of()), 400, "primary");
        assertField(server.post("/api/models/test", Map.of("provider", "openai")), 400, "model");
        assertField(server.get("/api/usage?from=yesterday"), 400, "from");
        assertField(server.get("/api/usage?from=2026-02-01&to=2026-01-01"), 400, "to");
        assertField(server.put("/api/budgets/agent/default", Map.of("limitUsd", "ten")), 400, "limitUsd");
        assertField(server.put("/api/budgets/agent/default", Map.of("limitUsd", 1, "period", "week")), 400,
                "period");
        for (TestServer.Reply reply : List.of(server.get("/api/models/nope"), server.delete("/api/models/nope"),
                server.post("/api/models/nope/default", Map.of()), server.delete("/api/models/routing/nope"),
                server.delete("/api/llm/custom-models/nope"), server.delete("/api/budgets/user/nope"),
                server.get("/api/llm/current?sessionId=nope"))) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        }
    }

    @Test
    void unknownSessionsAndRoutesAre404() {
        for (TestServer.Reply reply : List.of(server.get("/api/sessions/nope"), server.get("/api/sessions/nope/history"),
                server.post("/api/sessions/nope/cancel", Map.of()), server.delete("/api/sessions/nope"),
                server.get("/api/queue/nope"), server.post("/api/reset", Map.of("sessionId", "nope")),
                server.get("/api/sessions/nope/events"), server.get("/api/no-such-route"))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().path("error").path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void aDuplicateSessionIdIs409AndNothingStoredIsLost() {
        server.post("/api/sessions", Map.of("sessionId", "dup"));
        server.patch("/api/sessions/dup", Map.of("title", "Kept"));
        TestServer.Reply again = server.post("/api/sessions", Map.of("sessionId", "dup"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(server.get("/api/sessions/dup").json().path("session").path("title").asText()).isEqualTo("Kept");
    }

    @Test
    void anOversizedBodyIs413() {
        String big = "{\"sessionId\":\"a\",\"content\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        TestServer.Reply reply = server.post("/api/message", big);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().path("error").path("code").asText()).isEqualTo("payload_too_large");
    }

    private static void assertField(TestServer.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
    }
}
