package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.context.ConversationWindow;
import dev.switchboard.llm.langchain4j.JtokkitTokenCounter;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import dev.switchboard.userprofile.UserProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextAndProfileTest {

    static final int WINDOW = 1500;
    static final String SUMMARY = "SUMMARY: the user sent numbered messages about foxes.";

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void startTheModel() {
        fake = FakeLlmServer.start();
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    void agent(String extra) throws Exception {
        TestServer.writeAgent(home, "default", """
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxInputTokens: %d
                  maxRetries: 0
                tools: []
                """.formatted(fake.openAiBaseUrl(), WINDOW));
        Files.writeString(home.resolve("switchboard.yml"), extra);
    }

    static String paragraph(int i) {
        return "Message " + i + ": " + "the quick brown fox jumps over the lazy dog. ".repeat(8);
    }

    @Test
    void aLongConversationStaysUnderTheWindowThroughSummariesAndItsStoredHistoryIsIntact() throws Exception {
        agent("userProfile: {enabled: false}\n");
        fake.on(Match.systemPromptContains(ConversationWindow.SUMMARIZER_PROMPT), Reply.text(SUMMARY));
        fake.otherwise(Reply.text("Noted. " + "A fox is a small omnivorous mammal of the dog family. ".repeat(6)));
        List<String> names = new ArrayList<>();
        int turns = 14;
        try (TestServer server = TestServer.start(home)) {
            for (int i = 0; i < turns; i++) {
                try (TestServer.SseReader sse = server.streamMessage("long", paragraph(i))) {
                    sse.readUntil(named("run:complete")).forEach(e -> names.add(e.path("name").asText()));
                }
            }

            List<RecordedRequest> requests = fake.requests();
            List<RecordedRequest> summaries = requests.stream()
                    .filter(r -> r.systemPrompt() != null
                            && r.systemPrompt().contains(ConversationWindow.SUMMARIZER_PROMPT)).toList();
            List<RecordedRequest> turnsSent = requests.stream().filter(r -> !summaries.contains(r)).toList();
            assertThat(summaries).isNotEmpty();
            assertThat(summaries.getFirst().lastUserText()).contains("Message 0:");
            assertThat(turnsSent).hasSize(turns);
            JtokkitTokenCounter counter = new JtokkitTokenCounter();
            for (RecordedRequest request : turnsSent) {
                int tokens = counter.count("test-model", request.systemPrompt());
                for (JsonNode message : request.messages()) {
                    tokens += 4 + counter.count("test-model", message.path("content").isTextual()
                            ? message.path("content").asText() : message.path("content").toString());
                }
                assertThat(tokens).as("request of %d messages", request.messages().size()).isLessThan(WINDOW);
            }
            RecordedRequest last = turnsSent.getLast();
            assertThat(last.systemPrompt()).contains("You are a test agent.").contains("## Current date")
                    .contains(SUMMARY);
            assertThat(Match.anyMessageContains("Message 0:").test(last)).isFalse();
            assertThat(last.lastUserText()).contains("Message " + (turns - 1) + ":");
            assertThat(names).contains("context:compacting", "context:compacted");
            assertThat(names.indexOf("context:compacting")).isLessThan(names.indexOf("context:compacted"));

            JsonNode history = server.get("/api/sessions/long/history").json().path("history");
            assertThat(history).hasSize(turns * 2);
            for (int i = 0; i < turns; i++) {
                assertThat(history.get(2 * i).path("role").asText()).isEqualTo("user");
                assertThat(history.get(2 * i).toString()).contains("Message " + i + ":");
            }
        }
    }

    @Test
    void theProfileLearnsAFactWhenTheSessionGoesIdleAndFlagsOneALaterConversationContradicts()
            throws Exception {
        agent("userProfile: {idleSeconds: 1}\n");
        fake.on(Match.systemPromptContains(UserProfiles.LEARNER_PROMPT).and(Match.anyMessageContains("(none)")),
                Reply.text("```json\n{\"new\": [{\"fact\": \"Lives in Lyon\", \"confidence\": 0.8}], "
                        + "\"confirmed\": [], \"contradicted\": []}\n```"));
        fake.otherwise(Reply.text("Nice."));
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.post("/api/message-sync", Map.of("sessionId", "chat", "content",
                    "I live in Lyon.")).status()).isEqualTo(200);
            JsonNode facts = awaitFacts(server, 1);
            JsonNode lyon = facts.get(0);
            assertThat(lyon.path("fact").asText()).isEqualTo("Lives in Lyon");
            assertThat(lyon.path("confidence").asDouble()).isEqualTo(0.8);
            assertThat(lyon.path("contradicted").asBoolean()).isFalse();
            assertThat(lyon.path("sourceSessionId").asText()).isEqualTo("chat");

            fake.on(Match.systemPromptContains(UserProfiles.LEARNER_PROMPT)
                            .and(Match.anyMessageContains("I moved to Paris")),
                    Reply.text("{\"new\": [{\"fact\": \"Lives in Paris\", \"confidence\": 0.9}], \"confirmed\": [], "
                            + "\"contradicted\": [\"" + lyon.path("id").asText() + "\"]}"));
            assertThat(server.post("/api/message-sync", Map.of("sessionId", "chat", "content",
                    "I moved to Paris last month.")).status()).isEqualTo(200);
            facts = awaitFacts(server, 2);
            assertThat(facts.get(0).path("fact").asText()).isEqualTo("Lives in Lyon");
            assertThat(facts.get(0).path("contradicted").asBoolean()).isTrue();
            assertThat(facts.get(1).path("fact").asText()).isEqualTo("Lives in Paris");
            assertThat(facts.get(1).path("contradicted").asBoolean()).isFalse();
            // the learning call saw only what was new since the last time
            RecordedRequest second = fake.requests().stream()
                    .filter(r -> Match.anyMessageContains("I moved to Paris").test(r) && r.systemPrompt() != null
                            && r.systemPrompt().contains(UserProfiles.LEARNER_PROMPT)).findFirst().orElseThrow();
            assertThat(second.lastUserText()).doesNotContain("User: I live in Lyon.");

            // agents are told the facts that still hold
            server.post("/api/message-sync", Map.of("sessionId", "other", "content", "Where do I live?"));
            RecordedRequest asked = fake.requests().stream().filter(r -> "Where do I live?".equals(r.lastUserText()))
                    .findFirst().orElseThrow();
            assertThat(asked.systemPrompt()).contains("## About the user").contains("Lives in Paris")
                    .doesNotContain("Lives in Lyon");

            String paris = facts.get(1).path("id").asText();
            TestServer.Reply corrected = server.patch("/api/user-profile/facts/" + paris,
                    Map.of("fact", "Lives in Paris, France", "confidence", 1.0));
            assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
            assertThat(corrected.json().path("fact").asText()).isEqualTo("Lives in Paris, France");
            assertThat(server.patch("/api/user-profile/facts/" + paris, Map.of("confidence", 2)).json()
                    .path("error").path("details").path("field").asText()).isEqualTo("confidence");
            assertThat(server.patch("/api/user-profile/facts/" + paris, Map.of()).status()).isEqualTo(400);
            assertThat(server.patch("/api/user-profile/facts/" + paris, Map.of("fact", " ")).status())
                    .isEqualTo(400);
            assertThat(server.patch("/api/user-profile/facts/fact_nope", Map.of("fact", "x")).status())
                    .isEqualTo(404);
            assertThat(server.delete("/api/user-profile/facts/" + paris).status()).isEqualTo(200);
            assertThat(server.delete("/api/user-profile/facts/" + paris).status()).isEqualTo(404);
            assertThat(server.get("/api/user-profile").json().path("facts")).hasSize(1);
        }
    }

    private static JsonNode awaitFacts(TestServer server, int count) throws InterruptedException {
        JsonNode facts = null;
        for (int i = 0; i < 100; i++) {
            facts = server.get("/api/user-profile").json().path("facts");
            if (facts.size() >= count) {
                return facts;
            }
            Thread.sleep(100);
        }
        return facts;
    }
}
