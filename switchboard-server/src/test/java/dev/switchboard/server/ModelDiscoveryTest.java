package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remaining model routes of issue 9: known models per provider, Ollama discovery with and without a running
 * Ollama (a fake one here), seed 003's providers, provider models and model test, and OpenRouter validation against
 * its fetched list or the catalog.
 */
class ModelDiscoveryTest {

    @TempDir
    Path home;

    private HttpServer fake;
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFake() throws IOException {
        fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/api/tags", exchange -> answer(exchange, """
                {"models":[{"name":"llama3.2:1b","model":"llama3.2:1b","size":1321098329,
                "digest":"baf6a787fdff","modified_at":"2026-10-01T10:00:00Z"},
                {"name":"qwen2.5:0.5b","size":397821319,"digest":"a8b0c5157701","modified_at":"2026-10-02T10:00:00Z"}]}
                """));
        fake.createContext("/api/version", exchange -> answer(exchange, "{\"version\":\"0.12.3\"}"));
        fake.createContext("/or/models", exchange -> answer(exchange, """
                {"data":[{"id":"anthropic/claude-3.5-sonnet","context_length":200000},
                {"id":"meta-llama/llama-3.1-8b-instruct:free","context_length":131072}]}
                """));
        fake.start();
    }

    @AfterEach
    void stopFake() {
        fake.stop(0);
    }

    private void answer(HttpExchange exchange, String json) throws IOException {
        paths.add(exchange.getRequestURI().getPath());
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String fakeRoot() {
        return "http://127.0.0.1:" + fake.getAddress().getPort();
    }

    private TestServer start(String config) throws IOException {
        TestServer.homeWithAgent(home, "openai-compatible", "http://127.0.0.1:9/v1");
        Files.writeString(home.resolve("switchboard.yml"), config);
        return TestServer.start(home);
    }

    private static List<String> names(JsonNode list, String field) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @Test
    void aRunningOllamaIsDiscoveredAndOneThatIsNotAnswersUnavailable() throws Exception {
        try (TestServer server = start("""
                discovery:
                  ollamaBaseURL: %s
                  openRouterModelsURL: "off"
                """.formatted(fakeRoot()))) {
            TestServer.Reply found = server.get("/api/models/ollama");
            assertThat(found.status()).as(found.body()).isEqualTo(200);
            assertThat(found.json().path("available").asBoolean()).isTrue();
            assertThat(found.json().path("version").asText()).isEqualTo("0.12.3");
            assertThat(names(found.json().path("models"), "name")).containsExactly("llama3.2:1b", "qwen2.5:0.5b");
            assertThat(found.json().path("models").path(0).path("size").asLong()).isEqualTo(1321098329L);
            assertThat(found.json().path("models").path(0).path("modifiedAt").asText())
                    .isEqualTo("2026-10-01T10:00:00Z");

            TestServer.Reply seed002 = server.get("/api/models/providers/ollama/models");
            assertThat(seed002.status()).isEqualTo(200);
            assertThat(names(seed002.json().path("models"), "name")).contains("qwen2.5:0.5b");

            TestServer.Reply listed = server.post("/api/provider-models", Map.of("provider", "ollama"));
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            assertThat(names(listed.json().path("models"), "id")).containsExactly("llama3.2:1b", "qwen2.5:0.5b");

            // another address from a request is held to the outgoing-address policy: loopback is refused
            TestServer.Reply elsewhere = server.get("/api/models/ollama?baseURL=http://127.0.0.2:11434");
            assertThat(elsewhere.status()).isEqualTo(400);
            assertThat(elsewhere.errorField()).isEqualTo("baseURL");
            assertThat(paths).contains("/api/tags");
        }
    }

    @Test
    void withNoOllamaRunningDiscoveryAnswersUnavailable() throws Exception {
        try (TestServer server = start("""
                discovery:
                  ollamaBaseURL: http://127.0.0.1:9
                  openRouterModelsURL: "off"
                """)) {
            TestServer.Reply none = server.get("/api/models/ollama");
            assertThat(none.status()).isEqualTo(200);
            assertThat(none.json().path("available").asBoolean()).isFalse();
            assertThat(none.json().path("models").size()).isZero();
            assertThat(none.json().path("error").asText()).contains("127.0.0.1:9");
            TestServer.Reply seed002 = server.get("/api/models/providers/ollama/models");
            assertThat(seed002.json().path("available").asBoolean()).isFalse();
        }
    }

    @Test
    void knownModelsAndProvidersComeFromTheCatalog() throws Exception {
        try (TestServer server = start("discovery:\n  openRouterModelsURL: \"off\"\n")) {
            TestServer.Reply known = server.get("/api/models/providers/openai/known");
            assertThat(known.status()).isEqualTo(200);
            assertThat(names(known.json().path("models"), "name")).contains("gpt-5");
            assertThat(known.json().path("models").path(0).has("pricing")).isTrue();
            TestServer.Reply unknown = server.get("/api/models/providers/nonesuch/known");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.errorField()).isEqualTo("provider");

            TestServer.Reply providers = server.get("/api/providers");
            assertThat(providers.status()).isEqualTo(200);
            JsonNode openai = StreamSupport.stream(providers.json().path("providers").spliterator(), false)
                    .filter(p -> p.path("id").asText().equals("openai")).findFirst().orElseThrow();
            assertThat(openai.path("callable").asBoolean()).isTrue();
            assertThat(openai.path("defaultModel").asText()).isEqualTo("gpt-5");
            assertThat(openai.path("knownModels").asInt()).isPositive();

            TestServer.Reply catalogued = server.post("/api/provider-models", Map.of("provider", "anthropic"));
            assertThat(catalogued.status()).isEqualTo(200);
            assertThat(catalogued.json().path("source").asText()).isEqualTo("catalog");
            assertThat(catalogued.json().path("models").size()).isPositive();
            TestServer.Reply noUrl = server.post("/api/provider-models", Map.of("provider", "openai-compatible"));
            assertThat(noUrl.status()).isEqualTo(400);
            assertThat(noUrl.errorField()).isEqualTo("baseURL");
            TestServer.Reply reference = server.post("/api/provider-models", Map.of("provider", "openai-compatible",
                    "baseURL", "https://example.com/v1", "apiKey", "$VAULT:openai"));
            assertThat(reference.status()).isEqualTo(400);
            assertThat(reference.errorField()).isEqualTo("apiKey");
            TestServer.Reply badProvider = server.post("/api/provider-models", Map.of("provider", "nope"));
            assertThat(badProvider.status()).isEqualTo(400);
            assertThat(badProvider.errorField()).isEqualTo("provider");
        }
    }

    @Test
    void openRouterIdsAreValidatedAgainstItsListOrTheCatalog() throws Exception {
        try (TestServer server = start("""
                discovery:
                  openRouterModelsURL: %s/or/models
                """.formatted(fakeRoot()))) {
            TestServer.Reply valid = server.get("/api/openrouter/validate/anthropic/claude-3.5-sonnet");
            assertThat(valid.status()).as(valid.body()).isEqualTo(200);
            assertThat(valid.json().path("valid").asBoolean()).isTrue();
            assertThat(valid.json().path("status").asText()).isEqualTo("valid");
            assertThat(valid.json().path("info").path("contextLength").asInt()).isEqualTo(200000);
            TestServer.Reply free = server.get("/api/openrouter/validate/meta-llama/llama-3.1-8b-instruct:free");
            assertThat(free.json().path("valid").asBoolean()).isTrue();
            TestServer.Reply invalid = server.get("/api/openrouter/validate/nope/nothing");
            assertThat(invalid.status()).isEqualTo(200);
            assertThat(invalid.json().path("valid").asBoolean()).isFalse();
            assertThat(invalid.json().path("status").asText()).isEqualTo("invalid");
            assertThat(invalid.json().path("error").asText()).contains("nope/nothing");
            // the list is fetched once and cached
            assertThat(paths.stream().filter("/or/models"::equals)).hasSize(1);
        }
    }

    @Test
    void withoutOpenRoutersListTheCatalogDecides() throws Exception {
        try (TestServer server = start("""
                discovery:
                  openRouterModelsURL: http://127.0.0.1:9/models
                """)) {
            TestServer.Reply known = server.get("/api/openrouter/validate/anthropic/claude-sonnet-4.5");
            assertThat(known.json().path("valid").asBoolean()).isTrue();
            assertThat(known.json().path("source").asText()).isEqualTo("catalog");
            assertThat(known.json().path("info").path("contextLength").asInt()).isEqualTo(200000);
            TestServer.Reply unknown = server.get("/api/openrouter/validate/some/model");
            assertThat(unknown.json().path("valid").asBoolean()).isFalse();
            assertThat(unknown.json().path("status").asText()).isEqualTo("unknown");
        }
    }

    @Test
    void seed003TestModelCallsTheModelOnce() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start()) {
            llm.on(Match.any(), Reply.text("OK"));
            try (TestServer server = start("discovery:\n  openRouterModelsURL: \"off\"\n")) {
                TestServer.Reply ok = server.post("/api/test-model", Map.of("provider", "openai-compatible",
                        "model", "test-model", "baseURL", llm.openAiBaseUrl()));
                assertThat(ok.status()).as(ok.body()).isEqualTo(200);
                assertThat(ok.json().path("ok").asBoolean()).isTrue();
                assertThat(ok.json().path("reply").asText()).isEqualTo("OK");
                TestServer.Reply bad = server.post("/api/test-model", Map.of("provider", "nonesuch", "model", "x"));
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.errorField()).isEqualTo("provider");
            }
        }
    }
}
