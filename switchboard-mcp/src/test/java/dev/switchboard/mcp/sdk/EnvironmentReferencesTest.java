package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code $VAR} references in declared env values and headers are filled from the server's environment. */
class EnvironmentReferencesTest {

    private static final String AGENT = "agent-1";

    private SdkMcpConnections connections;
    private HttpServer endpoint;
    private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SWITCHBOARD_TEST_WHO", "switchboard");
        env.put("SWITCHBOARD_TEST_TOKEN", "s3cret");
        connections = new SdkMcpConnections(env);
        // stands in for a remote MCP server: it only records what it was sent
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "(none)" : authorization);
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        connections.close();
        endpoint.stop(0);
    }

    @Test
    void aStdioServerSeesDeclaredVariablesWithTheirReferencesFilledIn() {
        McpServerDeclaration everything = TestPeers.everything();
        connections.add(AGENT, "everything", new McpServerDeclaration("stdio", "node", everything.args(),
                Map.of("GREETING", "hello ${SWITCHBOARD_TEST_WHO}", "PLAIN", "$SWITCHBOARD_TEST_WHO!",
                        "PRICE", "$$5"),
                null, Map.of(), TestPeers.TIMEOUT_MS, "lenient", true));

        String env = connections.call(AGENT, "everything", "get-env", "{}", null).output();

        assertThat(env).contains("\"GREETING\": \"hello switchboard\"", "\"PLAIN\": \"switchboard!\"",
                "\"PRICE\": \"$5\"");
        // what programs need to run is inherited; the server's own secrets are not
        assertThat(env).contains("\"PATH\"");
        assertThat(env).doesNotContain("s3cret").doesNotContain("SWITCHBOARD_TEST_TOKEN")
                .doesNotContain("OPENAI_API_KEY").doesNotContain("must-not-reach-mcp-servers");
    }

    @Test
    void headersOfHttpServersCarryTheirReferencesFilledIn() {
        for (String type : List.of("http", "sse")) {
            authorizations.clear();
            connections.add(AGENT, type, TestPeers.remote(type, url("/mcp"),
                    Map.of("Authorization", "Bearer ${SWITCHBOARD_TEST_TOKEN}")));

            Eventually.until(type + " sends its first request", () -> !authorizations.isEmpty(),
                    Duration.ofSeconds(10));
            assertThat(authorizations).first().isEqualTo("Bearer s3cret");
            assertThat(connections.server(AGENT, type).connected()).isFalse();
            connections.remove(AGENT, type);
        }
    }

    @Test
    void anUnsetVariableIsAClearErrorNamingTheField() {
        McpServerDeclaration everything = TestPeers.everything();
        assertThatThrownBy(() -> connections.add(AGENT, "everything", new McpServerDeclaration("stdio", "node",
                everything.args(), Map.of("API_KEY", "${SWITCHBOARD_TEST_UNSET}"), null, Map.of(),
                TestPeers.TIMEOUT_MS, "lenient", true)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("config.env.API_KEY"))
                .hasMessageContaining("SWITCHBOARD_TEST_UNSET");

        assertThatThrownBy(() -> connections.add(AGENT, "remote", TestPeers.remote("http", url("/mcp"),
                Map.of("X-Api-Key", "$SWITCHBOARD_TEST_UNSET"))))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("config.headers.X-Api-Key"));
        assertThat(connections.servers(AGENT)).isEmpty();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + endpoint.getAddress().getPort() + path;
    }
}
