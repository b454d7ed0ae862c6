package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.event.EventPayload;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolOrigin;
import dev.switchboard.tool.ToolOutcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** server-everything over the two HTTP transports: SSE and streamable HTTP. */
class HttpTransportsTest {

    private static final String AGENT = "agent-1";

    private final SdkMcpConnections connections = new SdkMcpConnections(System.getenv());

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void echoAnswersOverSse() throws Exception {
        try (TestPeers.HttpEverything server = TestPeers.HttpEverything.start("sse")) {
            McpServerState state = connections.add(AGENT, "legacy", TestPeers.remote("sse", server.url("/sse"),
                    Map.of()));

            assertThat(state.status()).isEqualTo("connected");
            assertEchoes("legacy");
            // before the server stops: closing sends it a last request
            connections.remove(AGENT, "legacy");
        }
    }

    @Test
    void echoAnswersOverStreamableHttp() throws Exception {
        try (TestPeers.HttpEverything server = TestPeers.HttpEverything.start("streamableHttp")) {
            McpServerState state = connections.add(AGENT, "remote", TestPeers.remote("http", server.url("/mcp"),
                    Map.of()));

            assertThat(state.status()).isEqualTo("connected");
            assertEchoes("remote");
            connections.remove(AGENT, "remote");
        }
    }

    @Test
    void progressArrivesOverStreamableHttp() throws Exception {
        try (TestPeers.HttpEverything server = TestPeers.HttpEverything.start("streamableHttp")) {
            connections.add(AGENT, "remote", TestPeers.remote("http", server.url("/mcp"), Map.of()));
            RecordingInteraction interaction = new RecordingInteraction();

            ToolOutcome outcome = connections.call(AGENT, "remote", "trigger-long-running-operation",
                    "{\"duration\":1,\"steps\":2}", interaction.context("call-http", null));

            assertThat(outcome.output()).contains("completed");
            Eventually.until("progress was published", () -> !interaction.published(
                    EventPayload.ToolProgress.class).isEmpty(), Duration.ofSeconds(2));
            assertThat(interaction.published(EventPayload.ToolProgress.class))
                    .first().satisfies(p -> {
                        assertThat(p.callId()).isEqualTo("call-http");
                        assertThat(p.toolName()).isEqualTo("mcp__remote__trigger-long-running-operation");
                        assertThat(p.total()).isEqualTo(2.0);
                    });
            connections.remove(AGENT, "remote");
        }
    }

    private void assertEchoes(String server) {
        Tool echo = connections.tools(AGENT).stream()
                .filter(t -> t.spec().name().equals("mcp__" + server + "__echo"))
                .findFirst().orElseThrow();
        assertThat(echo.origin()).isEqualTo(ToolOrigin.mcp(server, "echo"));

        ToolOutcome outcome = echo.execute("{\"message\":\"over " + server + "\"}",
                new RecordingInteraction().context("call-" + server, null));

        assertThat(outcome).isEqualTo(ToolOutcome.success("Echo: over " + server));
    }
}
