package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote client API (/v1, seed 000) and seed 001's root routes, through real HTTP. */
class RemoteApiTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastUserMessageContains("hang"), Reply.text("never finished").hang());
        fake.otherwise(Reply.text("quick answer"));
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void aConversationIsCreatedTitledBranchedAndDeletedAndOtherUsersCannotSeeIt() {
        TestServer.Reply created = server.post("/v1/conversations", Map.of("title", "Trip plans"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("agentId").asText()).isEqualTo("default");
        assertThat(created.json().path("createdAt").asText()).endsWith("Z");

        server.post("/api/message-sync", Map.of("sessionId", id, "content", "first"));
        server.post("/api/message-sync", Map.of("sessionId", id, "content", "second"));
        JsonNode full = server.get("/v1/conversations/" + id).json();
        assertThat(full.path("messages")).hasSize(4);
        assertThat(full.path("title").asText()).isEqualTo("Trip plans");

        String firstAnswer = full.path("messages").get(1).path("id").asText();
        TestServer.Reply branch = server.post("/v1/conversations/" + id + "/branch", Map.of("messageId", firstAnswer));
        assertThat(branch.status()).isEqualTo(201);
        assertThat(branch.json().path("messages")).hasSize(2);
        assertThat(branch.json().path("messages").get(1).path("content").asText()).isEqualTo("quick answer");
        assertThat(server.post("/v1/conversations/" + id + "/branch", Map.of("messageId", "msg_nope")).errorField())
                .isEqualTo("messageId");

        TestServer.Client operator = server.as(TestServer.KEY);
        assertThat(operator.put("/v1/conversations/" + id, Map.of("title", "Renamed")).json().path("title").asText())
                .isEqualTo("Renamed");
        TestServer.Reply rewrite = operator.put("/v1/conversations/" + id, Map.of("messages", List.of()));
        assertThat(rewrite.status()).isEqualTo(400);
        assertThat(rewrite.errorField()).isEqualTo("messages");

        server.createUser("bob", "bob-password-1234", "user");
        TestServer.Client bob = server.as(server.login("bob", "bob-password-1234"));
        assertThat(bob.get("/v1/conversations/" + id).status()).isEqualTo(404);
        assertThat(bob.get("/conversations/" + id).status()).isEqualTo(404);
        assertThat(bob.delete("/v1/conversations/" + id).status()).isEqualTo(404);
        assertThat(bob.get("/v1/conversations").json().path("conversations")).isEmpty();
        assertThat(bob.get("/conversations").json()).isEmpty();

        // seed 001's list is a bare array of the same conversations
        JsonNode legacy = server.get("/conversations").json();
        assertThat(legacy.isArray()).isTrue();
        assertThat(legacy).extracting(c -> c.path("id").asText()).contains(id, branch.json().path("id").asText());
        assertThat(legacy.get(0).has("messageCount")).isTrue();

        assertThat(server.delete("/v1/conversations/" + id).status()).isEqualTo(200);
        assertThat(server.get("/v1/conversations/" + id).status()).isEqualTo(404);
    }

    @Test
    void legacyChatAnswersJsonOrStreamsAndContinuesAConversation() {
        TestServer.Reply chat = server.post("/chat", Map.of("message", "hello"));
        assertThat(chat.status()).isEqualTo(200);
        assertThat(chat.json().path("response").asText()).isEqualTo("quick answer");
        String conversation = chat.json().path("conversationId").asText();

        try (TestServer.SseReader stream = server.stream(server.request("/chat/" + conversation)
                .header("Accept", "text/event-stream")
                .POST(TestServer.publisher(Map.of("message", "more", "options", Map.of("stream", true)))))) {
            assertThat(stream.status()).isEqualTo(200);
            List<JsonNode> events = stream.readUntil(named("run:complete"));
            assertThat(TestServer.names(events)).contains("llm:chunk", "run:complete");
        }
        assertThat(server.get("/conversations/" + conversation).json().path("messages")).hasSize(4);
        assertThat(server.post("/chat", Map.of("message", "x", "options", Map.of("stream", "yes"))).errorField())
                .isEqualTo("options.stream");
        assertThat(server.post("/chat", Map.of()).errorField()).isEqualTo("message");

        JsonNode health = server.as(null).get("/health").json();
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("version").asText()).isNotBlank();
    }

    @Test
    void attachmentsAreServedWithByteRanges() throws Exception {
        byte[] video = new byte[1000];
        for (int i = 0; i < video.length; i++) {
            video[i] = (byte) i;
        }
        server.post("/api/message-sync", Map.of("sessionId", "media", "content", List.of(
                Map.of("type", "text", "text", "look"),
                Map.of("type", "file", "data", Base64.getEncoder().encodeToString(video), "mimeType", "video/mp4",
                        "filename", "clip.mp4"))));
        String path = "/v1/conversations/media/assets/videos/clip.mp4";

        HttpResponse<byte[]> whole = bytes(path, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(video);
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Type").orElse("")).startsWith("video/mp4");

        HttpResponse<byte[]> first = bytes(path, "bytes=0-99");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-99/1000");
        assertThat(first.body()).isEqualTo(java.util.Arrays.copyOfRange(video, 0, 100));

        HttpResponse<byte[]> suffix = bytes(path, "bytes=-10");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 990-999/1000");
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(video, 990, 1000));

        HttpResponse<byte[]> open = bytes(path, "bytes=995-");
        assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 995-999/1000");

        HttpResponse<byte[]> past = bytes(path, "bytes=5000-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */1000");

        assertThat(bytes("/v1/conversations/media/assets/videos/other.mp4", null).statusCode()).isEqualTo(404);
        server.createUser("eve", "eve-password-1234", "user");
        String eve = server.login("eve", "eve-password-1234");
        HttpResponse<byte[]> stolen = server.http.send(server.request(path, eve).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stolen.statusCode()).isEqualTo(404);
    }

    private HttpResponse<byte[]> bytes(String path, String range) throws Exception {
        HttpRequest.Builder request = server.request(path).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return server.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void anEmergencyStopEndsTheStreamClosesTheProviderCallAndHoldsTheQueueUntilResumed() throws Exception {
        try (TestServer.SseReader hanging = server.streamMessage("live", "hang please")) {
            fake.awaitRequests(1, Duration.ofSeconds(10));
            assertThat(server.post("/api/message", Map.of("sessionId", "live", "content", "next one")).json()
                    .path("queued").asBoolean()).isTrue();

            TestServer.Reply stop = server.post("/v1/emergency-stop", Map.of());

            assertThat(stop.status()).isEqualTo(200);
            assertThat(stop.json().path("stopped")).hasSize(1);
            assertThat(stop.json().path("stopped").get(0).path("sessionId").asText()).isEqualTo("live");
            assertThat(stop.json().path("stopped").get(0).path("runId").asText()).startsWith("run");
            assertThat(stop.json().path("pausedQueues").asInt()).isEqualTo(1);
            assertThat(fake.requests().getFirst().awaitClientClosed(Duration.ofSeconds(5))).isTrue();
            List<JsonNode> events = hanging.readUntil(named("run:complete"));
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("cancelled");
        }
        // held: a new message is stored and queued, nothing reaches the provider
        assertThat(server.post("/api/message", Map.of("sessionId", "other", "content", "while stopped")).json()
                .path("queued").asBoolean()).isTrue();
        Thread.sleep(300);
        assertThat(fake.requests()).hasSize(1);
        assertThat(server.get("/v1/settings").json().path("emergencyStopActive").asBoolean()).isTrue();

        TestServer.Reply resume = server.post("/v1/emergency-stop/resume", Map.of());
        assertThat(resume.json().path("resumedQueues").asInt()).isEqualTo(2);
        await(() -> contents(server.get("/api/sessions/live/history").json()).contains("quick answer"));
        await(() -> contents(server.get("/api/sessions/other/history").json()).contains("quick answer"));
    }

    @Test
    void onlyAdministratorsStopOrChangeSettings() {
        server.createUser("carol", "carol-password-1234", "user");
        TestServer.Client carol = server.as(server.login("carol", "carol-password-1234"));
        assertThat(carol.post("/v1/emergency-stop", Map.of()).status()).isEqualTo(403);
        assertThat(carol.patch("/v1/settings", Map.of("registrationOpen", true)).status()).isEqualTo(403);
        assertThat(carol.post("/v1/agent-profiles", Map.of("id", "x")).status()).isEqualTo(403);
        assertThat(carol.get("/v1/settings").status()).isEqualTo(200);
        assertThat(carol.get("/settings").status()).isEqualTo(200);
        assertThat(carol.get("/v1/agent-profiles").status()).isEqualTo(200);
    }

    @Test
    void settingsRefuseUnknownAndIllTypedKeysNamingAllOfThemAndPersistValidOnes() {
        TestServer.Reply bad = server.patch("/v1/settings", Map.of("colour", "blue", "registrationOpen", "yes",
                "defaultAgentId", "nobody"));
        assertThat(bad.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        bad.json().path("error").path("details").path("fields").forEach(f -> fields.add(f.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("colour", "registrationOpen", "defaultAgentId");
        assertThat(server.get("/v1/settings").json().path("registrationOpen").asBoolean()).isFalse();

        TestServer.writeAgent(home, "helper", "systemPrompt: helps\n");
        server.restart();
        TestServer.Reply ok = server.patch("/v1/settings", Map.of("registrationOpen", true, "defaultAgentId", "helper"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("defaultAgentId").asText()).isEqualTo("helper");

        server.restart();
        JsonNode settings = server.get("/settings").json();
        assertThat(settings.path("registrationOpen").asBoolean()).isTrue();
        assertThat(settings.path("defaultAgentId").asText()).isEqualTo("helper");
        assertThat(server.post("/v1/conversations", Map.of()).json().path("agentId").asText()).isEqualTo("helper");
        JsonNode audit = server.get("/api/admin/audit?type=settings.update").json();
        assertThat(audit.toString()).contains("settings.update").contains("registrationOpen").contains("defaultAgentId");
    }

    @Test
    void agentProfilesAreWrittenToDiskAppliedAndTheDefaultIsProtected() throws Exception {
        TestServer.Reply created = server.post("/v1/agent-profiles", Map.of("id", "writer", "name", "Writer",
                "systemPrompt", "You write.", "llm", Map.of("provider", "openai-compatible", "model", "w-1",
                        "baseURL", fake.openAiBaseUrl(), "apiKey", "$VAULT:writer-key")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("llm").path("apiKey").asText()).isEqualTo("$VAULT:writer-key");
        Path file = home.resolve("agents/writer.yml");
        assertThat(Files.readString(file)).contains("You write.").contains("w-1");

        TestServer.Reply literal = server.patch("/v1/agent-profiles/writer", Map.of("llm", Map.of("apiKey",
                "sk-literal")));
        assertThat(literal.status()).isEqualTo(400);
        assertThat(literal.errorField()).isEqualTo("llm.apiKey");
        TestServer.Reply invalid = server.patch("/v1/agent-profiles/writer", Map.of("llm", Map.of("temperature", 7)));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("error").path("message").asText()).contains("temperature");
        assertThat(server.patch("/v1/agent-profiles/writer", Map.of("mcpServers", Map.of())).errorField())
                .isEqualTo("mcpServers");

        TestServer.Reply updated = server.patch("/v1/agent-profiles/writer", Map.of("llm", Map.of("model", "w-2")));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("llm").path("model").asText()).isEqualTo("w-2");
        assertThat(updated.json().path("llm").path("baseURL").asText()).isEqualTo(fake.openAiBaseUrl());
        assertThat(Files.readString(file)).contains("w-2");
        assertThat(Files.readString(home.resolve("agents/writer.yml.bak"))).contains("w-1");

        // the default agent's literal key from its hand-written file is never echoed
        JsonNode byDefault = server.get("/v1/agent-profiles/default").json();
        assertThat(byDefault.path("llm").path("apiKey").asText()).isEqualTo("********");
        assertThat(byDefault.path("builtIn").asBoolean()).isTrue();
        assertThat(server.delete("/v1/agent-profiles/default").status()).isEqualTo(409);

        // disabled: listed, but refuses runs with a clear error; enabled again, it runs
        JsonNode off = server.post("/v1/agent-profiles/default/toggle", Map.of()).json();
        assertThat(off.path("enabled").asBoolean()).isFalse();
        TestServer.Reply refused = server.post("/api/message-sync", Map.of("sessionId", "d1", "content", "hi"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("error").path("message").asText()).contains("disabled");
        assertThat(server.post("/v1/agent-profiles/default/toggle", Map.of()).json().path("enabled").asBoolean())
                .isTrue();
        assertThat(server.post("/api/message-sync", Map.of("sessionId", "d1", "content", "hi")).status())
                .isEqualTo(200);

        assertThat(server.delete("/v1/agent-profiles/writer").status()).isEqualTo(200);
        assertThat(file).doesNotExist();
        assertThat(server.get("/v1/agent-profiles/writer").status()).isEqualTo(404);
        server.restart();
        assertThat(server.get("/v1/agent-profiles").json().path("profiles")).extracting(p -> p.path("id").asText())
                .containsExactly("default");
    }

    @Test
    void mcpServersListInSeed000sShapeAndAnUnknownOneCannotBeToggled() {
        JsonNode servers = server.get("/v1/mcp/servers").json();
        assertThat(servers.path("servers").isArray()).isTrue();
        assertThat(server.post("/v1/mcp/servers/nope/toggle", Map.of()).status()).isEqualTo(404);
    }

    private static List<String> contents(JsonNode history) {
        return QueueAndCancelTest.contents(history);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
