package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionApiTest {

    @TempDir
    Path home;

    @Test
    void sessionsCanBeCreatedListedRenamedForkedResetAndDeleted() {
        try (FakeLlmServer fake = FakeLlmServer.start();
                TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                        fake.openAiBaseUrl()))) {
            fake.on(Match.systemPromptContains("titles"), Reply.text("Greeting the agent"));
            fake.otherwise(Reply.text("hello back"));

            TestServer.Reply created = server.post("/api/sessions", Map.of());
            assertThat(created.status()).isEqualTo(201);
            String generated = created.json().path("session").path("id").asText();
            assertThat(generated).startsWith("ses_");
            assertThat(server.post("/api/sessions", Map.of("sessionId", "mine")).json().path("session").path("agentId")
                    .asText()).isEqualTo("default");

            assertThat(server.post("/api/message-sync", Map.of("sessionId", "mine", "content", "hello")).status())
                    .isEqualTo(200);
            JsonNode listed = server.get("/api/sessions").json().path("sessions");
            assertThat(listed).hasSize(2);
            assertThat(listed.get(0).path("id").asText()).isEqualTo("mine");
            assertThat(listed.get(0).path("messageCount").asInt()).isEqualTo(2);

            JsonNode titled = server.post("/api/sessions/mine/generate-title", Map.of()).json();
            assertThat(titled.path("title").asText()).isEqualTo("Greeting the agent");
            try (TestServer.SseReader events = server.stream(server.request("/api/sessions/mine/events?after=0").GET())) {
                JsonNode update = events.readUntil(TestServer.SseReader.named("session:title-updated")).getLast();
                assertThat(update.path("title").asText()).isEqualTo("Greeting the agent");
            }
            assertThat(server.patch("/api/sessions/mine", Map.of("title", "Renamed")).json().path("session")
                    .path("title").asText()).isEqualTo("Renamed");
            JsonNode loaded = server.get("/api/sessions/mine/load").json().path("session");
            assertThat(loaded.path("isBusy").asBoolean()).isFalse();
            assertThat(loaded.path("title").asText()).isEqualTo("Renamed");

            TestServer.Reply fork = server.post("/api/sessions/mine/fork", Map.of("sessionId", "mine-fork"));
            assertThat(fork.status()).isEqualTo(201);
            assertThat(server.get("/api/sessions/mine-fork/history").json().path("history")).hasSize(2);

            assertThat(server.post("/api/reset", Map.of("sessionId", "mine")).json().path("status").asText())
                    .isEqualTo("reset");
            assertThat(server.get("/api/sessions/mine/history").json().path("history")).isEmpty();
            assertThat(server.get("/api/sessions/mine-fork/history").json().path("history")).hasSize(2);

            assertThat(server.delete("/api/sessions/mine").status()).isEqualTo(200);
            assertThat(server.get("/api/sessions/mine").status()).isEqualTo(404);
        }
    }

    @Test
    void tokensAndCostAreCountedPerMessageAndPerSession() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            TestServer.writeAgent(home, "default", """
                    llm:
                      provider: openai-compatible
                      model: gpt-4o-mini
                      baseURL: %s
                    """.formatted(fake.openAiBaseUrl()));
            fake.otherwise(Reply.text("priced").withUsage(1_000_000, 100_000));
            try (TestServer server = TestServer.start(home)) {
                JsonNode reply = server.post("/api/message-sync", Map.of("sessionId", "cost", "content", "hi")).json();
                // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens
                assertThat(reply.path("estimatedCost").asDouble()).isCloseTo(0.21, org.assertj.core.data.Offset.offset(1e-9));
                server.post("/api/message-sync", Map.of("sessionId", "cost", "content", "again"));
                JsonNode session = server.get("/api/sessions/cost").json().path("session");
                assertThat(session.path("estimatedCost").asDouble()).isCloseTo(0.42, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(session.path("tokenUsage").path("inputTokens").asLong()).isEqualTo(2_000_000);
                JsonNode assistant = server.get("/api/sessions/cost/history").json().path("history").get(1);
                assertThat(assistant.path("estimatedCost").asDouble()).isCloseTo(0.21, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(assistant.path("tokenUsage").path("outputTokens").asLong()).isEqualTo(100_000);
            }
        }
    }

    @Test
    void multimodalContentIsStoredAsBlobsAndSentToTheModel() {
        try (FakeLlmServer fake = FakeLlmServer.start();
                TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                        fake.openAiBaseUrl()))) {
            fake.otherwise(Reply.text("a red pixel"));
            byte[] png = Base64.getDecoder().decode(
                    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
            TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "img", "content", List.of(
                    Map.of("type", "text", "text", "What is this?"),
                    Map.of("type", "image", "image", Base64.getEncoder().encodeToString(png), "mimeType", "image/png"))));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(fake.requests().getLast().rawBody()).contains(Base64.getEncoder().encodeToString(png));

            JsonNode content = server.get("/api/sessions/img/history").json().path("history").get(0).path("content");
            assertThat(content.get(0).path("text").asText()).isEqualTo("What is this?");
            String blobUrl = content.get(1).path("image").asText();
            assertThat(blobUrl).startsWith("/api/blobs/");
            TestServer.Reply blob = server.get(blobUrl);
            assertThat(blob.status()).isEqualTo(200);
        }
    }
}
