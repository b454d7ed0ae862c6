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
    void skillPermissionOverridesAndSkillToolCallsNameTheBadField() {
        server.post("/api/skills/import", Map.of("content", """
                ---
                name: Clock
                description: Tells the time.
                tools: [current_time]
                ---
                Call current_time.
                """));
        TestServer.Client admin = server.as(TestServer.KEY);
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "current_time")), 400,
                "level");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "current_time",
                "level", "sometimes")), 400, "level");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "x".repeat(129),
                "level", "deny")), 400, "action");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "rm",
                "level", "deny")), 400, "action");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", 7, "action", "*", "level", "deny")), 400,
                "skillId");
        assertField(admin.put("/api/skills/permissions", "[]"), 400, "body");
        assertField(server.post("/api/skills/clock/tools/current_time/execute", "[1]"), 400, "body");
        assertField(server.post("/api/skills/clock/tools/current_time/execute", Map.of("zone", 5, "extra", true)),
                400, "body");
        assertThat(server.delete("/api/skills/permissions/clock/current_time").status()).isEqualTo(404);
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
