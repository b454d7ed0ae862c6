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
    void badSchedulesAreNamedAndUnknownOnesAre404() {
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 25 * * *")), 400, "cron");
        assertField(server.post("/api/agents/default/scheduled-tasks", Map.of("prompt", "x", "cron", "nonsense")), 400,
                "cron");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 0)), 400, "intervalMinutes");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 5, "profileId", "nobody")), 400,
                "profileId");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "agentId", "nobody")),
                400, "agentId");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "times", List.of("9am"))), 400, "times[0]");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "timezone", "Nowhere")),
                400, "timezone");
        assertField(server.post("/v1/loops", Map.of("prompt", "", "intervalMinutes", 5)), 400, "prompt");
        assertField(server.post("/v1/loops/nope/toggle", Map.of("enabled", "yes")), 404, null);
        for (TestServer.Reply reply : List.of(server.get("/api/schedules/nope"),
                server.post("/v1/loops/nope/run", Map.of()), server.post("/api/schedules/nope/trigger", Map.of()),
                server.delete("/api/scheduled-tasks/nope"), server.get("/api/agents/nobody/scheduled-tasks"))) {
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
