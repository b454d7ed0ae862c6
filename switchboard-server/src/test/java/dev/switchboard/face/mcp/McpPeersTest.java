package dev.switchboard.face.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real MCP clients from npm against the real server: the MCP Inspector's CLI, and the server scenarios of the MCP
 * conformance suite that apply to an agent server. The peers are found through the {@code switchboard.testPeers}
 * system property (the {@code node_modules} folder that {@code test-peers/install.sh} fills); without them the
 * tests fail.
 *
 * <p>The conformance tool cannot send headers, so it talks to the server through {@link AuthInjectingProxy}, which
 * adds the API key and leaves {@code Host} and {@code Origin} as the tool sent them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpPeersTest {

    private static final long TIMEOUT_SECONDS = 90;

    Path peers;
    FakeLlmServer fake;
    McpTestServer server;
    AuthInjectingProxy proxy;

    @BeforeAll
    void start(@TempDir Path home) {
        String configured = System.getProperty("switchboard.testPeers");
        assertThat(configured).as("system property switchboard.testPeers (set by switchboard-server/pom.xml)")
                .isNotBlank();
        // the property names the test-peers folder; the packages are in its node_modules
        peers = Path.of(configured).resolve("node_modules");
        assertThat(node()).as("Node 22 from npm in %s; run test-peers/install.sh", peers).isExecutable();
        assertThat(inspector().resolve("cli.js")).as("@modelcontextprotocol/inspector-cli in %s", peers).exists();
        assertThat(conformance()).as("@modelcontextprotocol/conformance in %s", peers).exists();
        fake = FakeLlmServer.start();
        fake.otherwise(Reply.text("Hello from the agent."));
        server = McpTestServer.start(McpTestServer.home(home, fake.openAiBaseUrl()));
        proxy = new AuthInjectingProxy(server.port(), McpTestServer.KEY);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void theInspectorCliListsAndCallsTheTools() throws Exception {
        Run list = inspector("--method", "tools/list");
        assertThat(list.exit()).as(list.output()).isZero();
        JsonNode tools = McpTestServer.JSON.readTree(list.stdout()).path("tools");
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsExactly("agent_helper", "helper__current_time");

        Run call = inspector("--method", "tools/call", "--tool-name", "agent_helper", "--tool-arg", "message=hi");
        assertThat(call.exit()).as(call.output()).isZero();
        JsonNode result = McpTestServer.JSON.readTree(call.stdout());
        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(result.path("content").get(0).path("text").asText()).isEqualTo("Hello from the agent.");
        assertThat(result.path("structuredContent").path("sessionId").asText()).isNotBlank();

        Run own = inspector("--method", "tools/call", "--tool-name", "helper__current_time", "--tool-arg",
                "timezone=Europe/Paris");
        assertThat(own.exit()).as(own.output()).isZero();
        assertThat(McpTestServer.JSON.readTree(own.stdout()).path("content").get(0).path("text").asText())
                .contains("Europe/Paris");
    }

    @Test
    void theInspectorCliIsRefusedWithAWrongKey() throws Exception {
        Run refused = run(inspector(), List.of(node().toString(), "cli.js", "--cli", server.url("/mcp"),
                "--transport", "http", "--header", "Authorization: Bearer wrong-key", "--method", "tools/list"));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("The credential is not valid");
    }

    /** The scenarios that apply to an agent server; docs/api.md says why the others do not. */
    @ParameterizedTest
    @ValueSource(strings = {"server-initialize", "ping", "logging-set-level", "tools-list",
            "server-sse-multiple-streams", "dns-rebinding-protection"})
    void conformanceScenarioPasses(String scenario, @TempDir Path results) throws Exception {
        Run run = run(peers, List.of(node().toString(), conformance().toString(), "server", "--url",
                "http://127.0.0.1:" + proxy.port() + "/mcp", "--scenario", scenario, "-o", results.toString()));
        List<JsonNode> checks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json")).toList()) {
                McpTestServer.JSON.readTree(file.toFile()).forEach(checks::add);
            }
        }
        assertThat(checks).as(run.output()).isNotEmpty();
        assertThat(checks).as(run.output())
                .noneMatch(c -> "FAILURE".equals(c.path("status").asText()))
                .anyMatch(c -> "SUCCESS".equals(c.path("status").asText()));
        assertThat(run.exit()).as(run.output()).isZero();
    }

    private Run inspector(String... method) throws Exception {
        List<String> command = new ArrayList<>(List.of(node().toString(), "cli.js", "--cli", server.url("/mcp"),
                "--transport", "http", "--header", "Authorization: Bearer " + McpTestServer.KEY));
        command.addAll(List.of(method));
        return run(inspector(), command);
    }

    /** Runs a command with Node 22 first on the PATH (the inspector starts {@code node} itself). */
    private Run run(Path directory, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", peers.resolve(".bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("NO_COLOR", "1");
        Path stdout = Files.createTempFile("peer", ".out");
        Path stderr = Files.createTempFile("peer", ".err");
        try {
            Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s: "
                        + Files.readString(stdout) + Files.readString(stderr));
            }
            return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private record Run(int exit, String stdout, String stderr) {
        String output() {
            return "exit " + exit + "\n" + stdout + "\n" + stderr;
        }
    }

    private Path node() {
        return peers.resolve(".bin").resolve("node");
    }

    /** The inspector CLI's build folder: it must run from there to find its own package.json. */
    private Path inspector() {
        return peers.resolve("@modelcontextprotocol").resolve("inspector-cli").resolve("build");
    }

    private Path conformance() {
        return peers.resolve("@modelcontextprotocol").resolve("conformance").resolve("dist").resolve("index.js");
    }
}
