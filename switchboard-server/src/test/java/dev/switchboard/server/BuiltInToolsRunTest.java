package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInToolsRunTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void scriptTheModel() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastMessageIsToolResult(), Reply.toolCall("read_file", "{\"path\":\"notes/hello.txt\"}")
                .times(1));
        fake.on(Match.lastMessageIsToolResult(), Reply.toolCall("read_file", "{\"path\":\"../outside.txt\"}")
                .times(1));
        fake.on(Match.lastMessageIsToolResult(), Reply.text("The note is saved."));
        fake.on(Match.lastUserMessageContains("note"), Reply.toolCall("write_file",
                "{\"path\":\"notes/hello.txt\",\"content\":\"hello from the agent\\n\"}"));
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    @Test
    void anAgentWritesAndReadsItsWorkspaceAndAnEscapeComesBackAsAnError() throws Exception {
        TestServer.writeAgent(home, "coder", """
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 6
                  maxRetries: 0
                tools: [write_file, read_file]
                permissions:
                  mode: auto-approve
                """.formatted(fake.openAiBaseUrl()));
        Files.createDirectories(home.resolve("workspaces"));
        Files.writeString(home.resolve("workspaces/outside.txt"), "another agent's secret");

        List<JsonNode> events;
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("files", "Save a note for me")) {
            events = sse.readUntil(named("run:complete"));
        }

        assertThat(Files.readString(home.resolve("workspaces/coder/notes/hello.txt"))).isEqualTo("hello from the agent\n");
        List<JsonNode> results = events.stream().filter(e -> e.path("name").asText().equals("llm:tool-result"))
                .toList();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("toolName").asText()).isEqualTo("write_file");
        assertThat(results.get(0).path("success").asBoolean()).isTrue();
        assertThat(results.get(1).path("success").asBoolean()).isTrue();
        assertThat(results.get(1).path("result").asText()).contains("     1\thello from the agent");
        assertThat(results.get(2).path("success").asBoolean()).isFalse();
        assertThat(results.get(2).path("error").asText()).isEqualTo("'../outside.txt': '..' is not allowed; paths "
                + "stay inside the workspace");
        assertThat(TestServer.names(events)).doesNotContain("approval:request");
        assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");
        assertThat(events.toString()).doesNotContain("another agent's secret");

        assertThat(fake.requests()).hasSize(4);
        assertThat(fake.requests().getFirst().toolNames()).containsExactly("write_file", "read_file");
        assertThat(fake.requests().getLast().rawBody()).contains("Error: '../outside.txt': '..' is not allowed");
    }
}
