package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's own {@code context:} settings in its file, in place of the server's for its runs only. */
class AgentContextBudgetTest {

    @TempDir
    Path home;

    private static String agent(String baseUrl, String context) {
        return """
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxRetries: 0
                %s""".formatted(baseUrl, context);
    }

    private static RecordedRequest ask(TestServer server, FakeLlmServer fake, String agentId) {
        fake.reset();
        fake.otherwise(Reply.text("ok"));
        assertThat(server.post("/api/sessions", Map.of("sessionId", "s-" + agentId, "agentId", agentId)).status())
                .isEqualTo(201);
        TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "s-" + agentId,
                "content", "hello"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return fake.requests().getLast();
    }

    @Test
    void aSmallBudgetDropsLowPrioritySectionsForThatAgentOnly() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            TestServer.writeAgent(home, "default", agent(fake.openAiBaseUrl(), ""));
            // room for the date (highest priority) but not for a long pinned memory
            TestServer.writeAgent(home, "tight", agent(fake.openAiBaseUrl(), "context: {systemBudgetTokens: 40}\n"));
            try (TestServer server = TestServer.start(home)) {
                String longFact = "The user keeps a detailed travel diary: " + "cities, trains and museums. ".repeat(40);
                assertThat(server.post("/api/memory", Map.of("content", longFact, "metadata", Map.of("pinned", true)))
                        .status()).isEqualTo(201);

                String roomy = ask(server, fake, "default").systemPrompt();
                assertThat(roomy).contains("You are a test agent.").contains("## Current date")
                        .contains("travel diary");

                String tight = ask(server, fake, "tight").systemPrompt();
                assertThat(tight).contains("You are a test agent.").contains("## Current date")
                        .doesNotContain("travel diary");
                assertThat(Match.anyMessageContains("hello").test(fake.requests().getLast())).isTrue();
            }
        }
    }

    @Test
    void contextSettingsThatCannotWorkAreRefusedWhenTheFileIsRead() throws Exception {
        TestServer.writeAgent(home, "default", agent("http://127.0.0.1:9", "context: {compactAt: 1.5}\n"));
        assertThatThrownBy(() -> TestServer.start(home).close()).hasStackTraceContaining("context.compactAt");
        TestServer.writeAgent(home, "default", agent("http://127.0.0.1:9",
                "context: {compactAt: 0.5, keepRecentShare: 0.6}\n"));
        assertThatThrownBy(() -> TestServer.start(home).close()).hasStackTraceContaining("keepRecentShare");
        TestServer.writeAgent(home, "default", agent("http://127.0.0.1:9", "context: {systemBudget: 10}\n"));
        assertThatThrownBy(() -> TestServer.start(home).close()).hasStackTraceContaining("systemBudget");
    }
}
