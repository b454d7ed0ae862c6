package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server-filesystem and server-memory, and two servers offering the same tool. */
class OtherServersTest {

    private static final String AGENT = "agent-1";

    @TempDir
    Path workspace;

    private final SdkMcpConnections connections = new SdkMcpConnections(System.getenv());

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void theFilesystemServerReadsAFileOfTheWorkspace() throws Exception {
        Path real = workspace.toRealPath();
        Files.writeString(real.resolve("notes.txt"), "buy milk");
        connections.open(TestPeers.agent(AGENT, real, Map.of("files", TestPeers.filesystem(real))));
        assertThat(connections.awaitReady(AGENT, Duration.ofSeconds(20))).isEmpty();
        Eventually.until("it connects", () -> connections.server(AGENT, "files").connected(),
                Duration.ofSeconds(20));

        assertThat(connections.tools(AGENT)).extracting(t -> t.spec().name())
                .contains("mcp__files__read_text_file", "mcp__files__list_directory");
        ToolOutcome outcome = tool("mcp__files__read_text_file").execute(
                "{\"path\":\"" + real.resolve("notes.txt") + "\"}", new RecordingInteraction().context("c1", real));

        assertThat(outcome).isEqualTo(ToolOutcome.success("buy milk"));
    }

    @Test
    void theMemoryServerRemembersAnEntity() {
        connections.add(AGENT, "memory", TestPeers.memory(workspace.resolve("memory.jsonl")));

        ToolOutcome created = tool("mcp__memory__create_entities").execute("{\"entities\":[{\"name\":\"Ada\","
                + "\"entityType\":\"person\",\"observations\":[\"wrote the first program\"]}]}",
                new RecordingInteraction().context("c1", workspace));
        ToolOutcome graph = tool("mcp__memory__read_graph").execute("{}",
                new RecordingInteraction().context("c2", workspace));

        assertThat(created.success()).isTrue();
        assertThat(graph.output()).contains("Ada", "wrote the first program");
    }

    @Test
    void twoServersOfferingTheSameToolGetDistinctNames() {
        Map<String, McpServerDeclaration> servers = new LinkedHashMap<>();
        servers.put("alpha", TestPeers.everything());
        servers.put("beta", TestPeers.everything());
        connections.open(TestPeers.agent(AGENT, workspace, servers));
        Eventually.until("both connect", () -> connections.servers(AGENT).stream()
                .allMatch(McpServerState::connected), Duration.ofSeconds(20));

        assertThat(connections.tools(AGENT)).extracting(t -> t.spec().name())
                .contains("mcp__alpha__echo", "mcp__beta__echo")
                .doesNotHaveDuplicates();
        assertThat(tool("mcp__alpha__echo").execute("{\"message\":\"a\"}", null).output()).isEqualTo("Echo: a");
        assertThat(tool("mcp__beta__echo").execute("{\"message\":\"b\"}", null).output()).isEqualTo("Echo: b");
    }

    private Tool tool(String name) {
        return connections.tools(AGENT).stream().filter(t -> t.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name + " in "
                        + connections.tools(AGENT).stream().map(t -> t.spec().name()).toList()));
    }
}
