package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.vault.SecretReferences;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code $VAULT:name} in declared env and header values is read from the vault, as the agent, when connecting. */
class VaultReferencesOfServersTest {

    private static final String AGENT = "agent-1";

    private final Queue<SecretReferences.Use> uses = new ConcurrentLinkedQueue<>();
    private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
    private SdkMcpConnections connections;
    private HttpServer endpoint;

    @BeforeEach
    void start() throws IOException {
        SecretReferences vault = (name, use) -> {
            uses.add(use);
            if (name.equals("refused")) {
                throw new ForbiddenException("Vault entry 'refused' may not be read", Map.of());
            }
            return "value-of-" + name;
        };
        connections = new SdkMcpConnections(System.getenv(), vault);
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
    void aStdioServerGetsTheVaultValueInItsEnvironment() {
        McpServerDeclaration everything = TestPeers.everything();
        connections.add(AGENT, "everything", new McpServerDeclaration("stdio", "node", everything.args(),
                Map.of("API_TOKEN", "$VAULT:api.token"), null, Map.of(), TestPeers.TIMEOUT_MS, "lenient", true));

        String env = connections.call(AGENT, "everything", "get-env", "{}", null).output();

        assertThat(env).contains("\"API_TOKEN\": \"value-of-api.token\"");
        assertThat(uses).singleElement().satisfies(use -> {
            assertThat(use.agentId()).isEqualTo(AGENT);
            assertThat(use.consumer()).isEqualTo("mcp__everything");
            assertThat(use.onBehalfOf()).isNull();
            assertThat(use.purpose()).isEqualTo("mcp.env.API_TOKEN");
        });
    }

    @Test
    void anHttpServerGetsTheVaultValueInItsHeaders() {
        connections.add(AGENT, "remote", TestPeers.remote("http", url("/mcp"),
                Map.of("Authorization", "Bearer ${VAULT:remote.token}")));

        Eventually.until("the first request", () -> !authorizations.isEmpty(), Duration.ofSeconds(10));
        assertThat(authorizations).first().isEqualTo("Bearer value-of-remote.token");
        assertThat(uses).first().satisfies(use -> assertThat(use.consumer()).isEqualTo("mcp__remote"));
    }

    @Test
    void aRefusedReadFailsTheServerNamingTheReferenceWithoutRetrying() throws InterruptedException {
        connections.add(AGENT, "remote", TestPeers.remote("http", url("/mcp"),
                Map.of("Authorization", "Bearer $VAULT:refused")));

        Eventually.until("the server fails", () -> "failed".equals(connections.server(AGENT, "remote").status()),
                Duration.ofSeconds(10));
        assertThat(connections.server(AGENT, "remote").error())
                .contains("$VAULT:refused").contains("config.headers.Authorization").contains("may not be read");
        Thread.sleep(500);
        assertThat(uses).hasSize(1);
        assertThat(authorizations).isEmpty();
        assertThat(List.copyOf(uses).getFirst().purpose()).isEqualTo("mcp.headers.Authorization");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + endpoint.getAddress().getPort() + path;
    }
}
