package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.TestSecrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embeddings:} in switchboard.yml pointing at an OpenAI-compatible {@code /embeddings} endpoint (the fake
 * provider's): memories are embedded there and found by meaning, and a change of model re-embeds what is stored.
 */
class RemoteEmbeddingsTest {

    private static final String KEY = TestSecrets.register("embed-key-5b1c9e");

    @TempDir
    Path home;

    /** Three concepts the fake endpoint knows, so a query can share meaning and no word with a memory. */
    private static float[] concepts(String text) {
        float[] v = new float[4];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            switch (word) {
                case "cat", "kitten", "feline", "purring" -> v[0] += 1;
                case "car", "sedan", "vehicle", "driving" -> v[1] += 1;
                case "pizza", "meal", "dinner", "food" -> v[2] += 1;
                default -> v[3] += 0.05f;
            }
        }
        return v;
    }

    private void config(FakeLlmServer fake, String model, String extra) throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), """
                embeddings:
                  provider: openai-compatible
                  baseURL: %s
                  model: %s
                  apiKey: $EMBED_KEY
                %s""".formatted(fake.openAiBaseUrl(), model, extra));
    }

    private static String first(TestServer server, String query) {
        return server.get("/api/memory?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).json()
                .path("memories").path(0).path("content").asText();
    }

    @Test
    void memoriesAreEmbeddedByTheConfiguredEndpointAndReEmbeddedWhenTheModelChanges() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.embedWith(RemoteEmbeddingsTest::concepts);
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            config(fake, "embed-a", "");
            List<String> memories = List.of("My kitten is called Tom", "I own a blue sedan",
                    "Pizza every Friday evening");
            try (TestServer server = TestServer.start(home, Map.of("EMBED_KEY", KEY))) {
                for (String content : memories) {
                    assertThat(server.post("/api/memory", Map.of("content", content)).status()).isEqualTo(201);
                }
                assertThat(server.switchboard().retrieval().awaitEmbedded(30_000)).isTrue();
                // no word in common with the memory: only the endpoint's vectors can find it
                assertThat(first(server, "feline")).isEqualTo("My kitten is called Tom");
                assertThat(first(server, "dinner")).isEqualTo("Pizza every Friday evening");
            }
            List<FakeLlmServer.EmbeddingRequest> first = fake.embeddingRequests();
            assertThat(first).allSatisfy(r -> {
                assertThat(r.model()).isEqualTo("embed-a");
                assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
                assertThat(r.dimensions()).isNull();
            });
            assertThat(first.stream().flatMap(r -> r.input().stream())).containsAll(memories).contains("feline");

            // another model (and vector size): every stored memory is embedded again by it, none is compared
            // across the two models' vectors
            config(fake, "embed-b", "  dimensions: 3\n");
            int before = fake.embeddingRequests().size();
            try (TestServer server = TestServer.start(home, Map.of("EMBED_KEY", KEY))) {
                assertThat(server.switchboard().retrieval().awaitEmbedded(30_000)).isTrue();
                List<FakeLlmServer.EmbeddingRequest> again = fake.embeddingRequests().subList(before,
                        fake.embeddingRequests().size());
                Set<String> reEmbedded = new HashSet<>();
                again.forEach(r -> {
                    assertThat(r.model()).isEqualTo("embed-b");
                    assertThat(r.dimensions()).isEqualTo(3);
                    reEmbedded.addAll(r.input());
                });
                assertThat(reEmbedded).containsAll(memories);
                assertThat(first(server, "vehicle")).isEqualTo("I own a blue sedan");
                assertThat(first(server, "purring")).isEqualTo("My kitten is called Tom");
            }
        }
    }

    @Test
    void anEndpointThatIsDownCostsSearchItsMeaningNotItsWords() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            Files.writeString(home.resolve("switchboard.yml"), """
                    embeddings:
                      provider: openai-compatible
                      baseURL: http://127.0.0.1:9/v1
                      model: unreachable
                    """);
            try (TestServer server = TestServer.start(home)) {
                assertThat(server.post("/api/memory", Map.of("content", "My kitten is called Tom")).status())
                        .isEqualTo(201);
                TestServer.Reply found = server.get("/api/memory?q=kitten");
                assertThat(found.status()).as(found.body()).isEqualTo(200);
                assertThat(found.json().path("memories").path(0).path("content").asText())
                        .isEqualTo("My kitten is called Tom");
            }
        }
    }
}
