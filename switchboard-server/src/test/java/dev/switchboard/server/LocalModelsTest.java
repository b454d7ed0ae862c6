package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code local} provider end to end, on a GGUF model the test writes itself (random weights, llama). */
class LocalModelsTest {

    @TempDir
    Path home;

    TestServer server;

    @BeforeEach
    void start() throws Exception {
        TinyGguf.standard().writeTo(home.resolve("models/tiny.gguf"));
        TestServer.writeAgent(home, "default", """
                systemPrompt: You are a tiny local model.
                llm:
                  provider: local
                  model: tiny.gguf
                  maxOutputTokens: 24
                  timeoutSeconds: 60
                """);
        TestServer.writeAgent(home, "endless", """
                systemPrompt: You never stop.
                llm:
                  provider: local
                  model: tiny
                  maxOutputTokens: 1000000
                  timeoutSeconds: 60
                """);
        TestServer.writeAgent(home, "missing", """
                llm:
                  provider: local
                  model: not-there.gguf
                """);
        server = TestServer.start(home);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsTheModelsFolderWithWhatTheGgufHeaderSays() throws Exception {
        Files.write(home.resolve("models/broken.gguf"), "not a model at all".getBytes());
        JsonNode models = server.get("/api/models/local").json().path("models");
        assertThat(models).hasSize(2);
        JsonNode tiny = models.get(1);
        assertThat(tiny.path("id").asText()).isEqualTo("tiny.gguf");
        assertThat(tiny.path("valid").asBoolean()).isTrue();
        assertThat(tiny.path("displayName").asText()).isEqualTo("switchboard-tiny-test");
        assertThat(tiny.path("architecture").asText()).isEqualTo("llama");
        assertThat(tiny.path("ggufVersion").asInt()).isEqualTo(3);
        assertThat(tiny.path("tensorCount").asInt()).isEqualTo(3 + 2 * 9);
        assertThat(tiny.path("contextLength").asInt()).isEqualTo(512);
        assertThat(tiny.path("sizeBytes").asLong()).isEqualTo(Files.size(home.resolve("models/tiny.gguf")));
        assertThat(tiny.path("source").asText()).isEqualTo("manual");
        assertThat(tiny.path("metadata").path("tokenizer.ggml.model").asText()).isEqualTo("llama");
        JsonNode broken = models.get(0);
        assertThat(broken.path("valid").asBoolean()).isFalse();
        assertThat(broken.path("error").asText()).contains("magic");
    }

    @Test
    void validateNamesTheProblemOfAMissingOrCorruptFile() throws Exception {
        TestServer.Reply ok = server.post("/api/models/local/validate", Map.of("filePath", "tiny.gguf"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("valid").asBoolean()).isTrue();
        assertThat(server.post("/api/models/local/validate",
                Map.of("filePath", home.resolve("models/tiny.gguf").toString())).status()).isEqualTo(200);

        byte[] whole = Files.readAllBytes(home.resolve("models/tiny.gguf"));
        Files.write(home.resolve("models/cut.gguf"), Arrays.copyOf(whole, whole.length / 2));
        TestServer.Reply truncated = server.post("/api/models/local/validate", Map.of("filePath", "cut.gguf"));
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.errorField()).isEqualTo("filePath");
        assertThat(truncated.json().path("error").path("message").asText()).contains("truncated");

        byte[] badVersion = whole.clone();
        badVersion[4] = 9;
        Files.write(home.resolve("models/v9.gguf"), badVersion);
        assertThat(server.post("/api/models/local/validate", Map.of("filePath", "v9.gguf")).json().path("error").path("message")
                .asText()).contains("unsupported GGUF version 9");

        TestServer.Reply missing = server.post("/api/models/local/validate", Map.of("filePath", "nope.gguf"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("message").asText()).contains("nope.gguf");

        TestServer.Reply outside = server.post("/api/models/local/validate", Map.of("filePath", "/etc/passwd"));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.json().path("error").path("message").asText()).contains("inside the models folder");
        assertThat(server.post("/api/models/local/validate", Map.of("filePath", "../data/x.gguf")).status())
                .isEqualTo(400);
        assertThat(server.post("/api/models/local/validate", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void theLocalProviderStreamsTokensThroughMessageStream() {
        List<JsonNode> events;
        try (TestServer.SseReader sse = server.streamMessage("local-1", "hello world")) {
            assertThat(sse.status()).isEqualTo(200);
            events = sse.readUntil(named("run:complete"));
        }
        List<JsonNode> chunks = events.stream().filter(named("llm:chunk")).toList();
        assertThat(chunks).hasSizeGreaterThan(1);
        String streamed = String.join("", chunks.stream().map(c -> c.path("content").asText()).toList());
        JsonNode response = events.stream().filter(named("llm:response")).findFirst().orElseThrow();
        assertThat(response.path("provider").asText()).isEqualTo("local");
        assertThat(response.path("content").asText()).isEqualTo(streamed);
        assertThat(events.getLast().path("finishReason").asText()).isIn("stop", "length");
        assertThat(server.get("/api/models/local").json().path("models").get(0).path("loaded").asBoolean())
                .isTrue();
    }

    @Test
    void cancellingTheRunStopsTheGenerationMidway() {
        try (TestServer.SseReader sse = streamWith("endless", "endless-1", "go on forever")) {
            sse.readUntil(named("llm:chunk"));
            assertThat(server.post("/api/sessions/endless-1/cancel", Map.of()).json().path("cancelled").asBoolean())
                    .isTrue();
            List<JsonNode> rest = sse.readUntil(named("run:complete"));
            assertThat(rest.getLast().path("finishReason").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void aMissingModelFileIsAClearRunError() {
        List<JsonNode> events;
        try (TestServer.SseReader sse = streamWith("missing", "missing-1", "hello")) {
            events = sse.readUntil(named("run:complete"));
        }
        JsonNode error = events.stream().filter(named("llm:error")).findFirst().orElseThrow();
        assertThat(error.path("error").asText()).contains("not-there.gguf").contains("not found");
    }

    @Test
    void deletingAModelUnloadsItAndRemovesTheFile() {
        try (TestServer.SseReader sse = server.streamMessage("del-1", "hello")) {
            sse.readUntil(named("run:complete"));
        }
        assertThat(server.post("/api/models/local/validate", Map.of("filePath", "tiny")).json().path("loaded")
                .asBoolean()).isTrue();
        TestServer.Reply refused = server.send(server.request("/api/models/local/tiny.gguf")
                .method("DELETE", TestServer.publisher(Map.of("deleteFile", false))));
        assertThat(refused.status()).isEqualTo(400);
        TestServer.Reply deleted = server.delete("/api/models/local/tiny.gguf");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("fileDeleted").asBoolean()).isTrue();
        assertThat(Files.exists(home.resolve("models/tiny.gguf"))).isFalse();
        assertThat(server.get("/api/models/local").json().path("models")).isEmpty();
        assertThat(server.delete("/api/models/local/tiny.gguf").status()).isEqualTo(404);
    }

    private TestServer.SseReader streamWith(String agentId, String sessionId, String content) {
        assertThat(server.post("/api/sessions", Map.of("sessionId", sessionId, "agentId", agentId)).status())
                .isEqualTo(201);
        return server.streamMessage(sessionId, content);
    }
}
