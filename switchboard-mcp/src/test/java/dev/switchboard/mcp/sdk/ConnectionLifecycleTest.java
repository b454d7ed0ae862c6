package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.mcp.McpServerState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adding, removing, failing, disabling and closing servers. */
class ConnectionLifecycleTest {

    private static final String AGENT = "agent-1";
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofSeconds(1));

    @TempDir
    Path workspace;

    private final SdkMcpConnections connections = new SdkMcpConnections(System.getenv(), FAST);

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void addingACommandThatDoesNotExistNamesTheCommandAndDisturbsNothing() {
        connections.add(AGENT, "everything", TestPeers.everything());
        McpServerDeclaration ghost = TestPeers.stdio(List.of("--serve"), Map.of());
        McpServerDeclaration missing = new McpServerDeclaration("stdio", "switchboard-no-such-command-7f3a",
                ghost.args(), ghost.env(), null, Map.of(), ghost.timeoutMs(), "lenient", true);

        assertThatThrownBy(() -> connections.add(AGENT, "ghost", missing))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("config.command"))
                .hasMessageContaining("switchboard-no-such-command-7f3a");
        assertThat(connections.servers(AGENT)).extracting(McpServerState::name).containsExactly("everything");
        assertThat(connections.call(AGENT, "everything", "echo", "{\"message\":\"ok\"}", null).output())
                .isEqualTo("Echo: ok");
    }

    @Test
    void aCommandGivenAsAPathMustBeAnExecutableFile() {
        McpServerDeclaration notExecutable = new McpServerDeclaration("stdio", workspace.resolve("server.sh")
                .toString(), List.of(), Map.of(), null, Map.of(), 5_000, "lenient", true);

        assertThatThrownBy(() -> connections.add(AGENT, "script", notExecutable))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("config.command"));
    }

    @Test
    void aSecondServerWithTheSameNameIsRejected() {
        connections.add(AGENT, "everything", TestPeers.everything());

        assertThatThrownBy(() -> connections.add(AGENT, "everything", TestPeers.everything()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void anUnknownServerIsNotFound() {
        connections.add(AGENT, "everything", TestPeers.everything());

        assertThatThrownBy(() -> connections.server(AGENT, "nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> connections.call(AGENT, "nope", "echo", "{}", null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> connections.remove(AGENT, "nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> connections.restart(AGENT, "nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> connections.readResource(AGENT, "nope", "demo://x"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> connections.server("other-agent", "everything"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aStrictServerThatCannotConnectIsNotAdded() {
        McpServerDeclaration broken = TestPeers.strict(TestPeers.stdio(
                List.of("-e", "console.error('cannot reach the database'); process.exit(3)"), Map.of()));

        Instant start = Instant.now();
        assertThatThrownBy(() -> connections.add(AGENT, "db", broken))
                .isInstanceOf(UpstreamException.class)
                .hasMessageContaining("'db'")
                .hasMessageContaining("exited");
        // the process's exit is noticed at once, not after the 15 s request timeout
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(connections.servers(AGENT)).isEmpty();
    }

    @Test
    void awaitReadyReportsTheStrictServerThatFailed() {
        Map<String, McpServerDeclaration> servers = new LinkedHashMap<>();
        servers.put("everything", TestPeers.strict(TestPeers.everything()));
        servers.put("db", TestPeers.strict(TestPeers.stdio(
                List.of("-e", "console.error('cannot reach the database'); process.exit(3)"), Map.of())));
        servers.put("optional", TestPeers.stdio(List.of("-e", "process.exit(1)"), Map.of()));
        connections.open(TestPeers.agent(AGENT, workspace, servers));

        Optional<String> problem = connections.awaitReady(AGENT, Duration.ofSeconds(20));

        assertThat(problem).hasValueSatisfying(reason -> assertThat(reason)
                .contains("MCP server 'db' failed")
                .contains("cannot reach the database")
                .doesNotContain("'everything'")
                .doesNotContain("'optional'"));
        assertThat(connections.server(AGENT, "everything").status()).isEqualTo("connected");
        assertThat(connections.server(AGENT, "db").status()).isEqualTo("failed");
    }

    @Test
    void awaitReadyIsEmptyOnceTheStrictServersConnected() {
        connections.open(TestPeers.agent(AGENT, workspace,
                Map.of("everything", TestPeers.strict(TestPeers.everything()))));

        assertThat(connections.awaitReady(AGENT, Duration.ofSeconds(20))).isEmpty();
        assertThat(connections.awaitReady("agent-without-servers", Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aLenientServerThatCannotConnectIsAddedAndRetried() {
        McpServerState added = connections.add(AGENT, "flaky", TestPeers.stdio(
                List.of("-e", "console.error('not yet'); process.exit(1)"), Map.of()));

        assertThat(added.status()).isEqualTo("reconnecting");
        assertThat(added.error()).contains("not yet");
        Eventually.until("it has been retried", () -> connections.server(AGENT, "flaky").reconnectAttempts() >= 3,
                Duration.ofSeconds(15));
        assertThat(connections.tools(AGENT)).isEmpty();
    }

    @Test
    void aDisabledServerIsListedButNotStarted() {
        Set<Long> before = TestPeers.nodeProcesses("server-everything");
        connections.open(TestPeers.agent(AGENT, workspace,
                Map.of("off", TestPeers.disabled(TestPeers.everything()))));

        assertThat(connections.server(AGENT, "off").status()).isEqualTo("disabled");
        assertThat(connections.awaitReady(AGENT, Duration.ofSeconds(1))).isEmpty();
        assertThat(connections.tools(AGENT)).isEmpty();
        assertThat(TestPeers.nodeProcesses("server-everything")).isEqualTo(before);
    }

    @Test
    void removingAServerStopsItsProcess() {
        Set<Long> before = TestPeers.nodeProcesses("server-everything");
        connections.add(AGENT, "everything", TestPeers.everything());
        Set<Long> started = new HashSet<>(TestPeers.nodeProcesses("server-everything"));
        started.removeAll(before);
        assertThat(started).hasSize(1);

        connections.remove(AGENT, "everything");

        Eventually.until("the server process is gone", () -> started.stream().noneMatch(TestPeers::alive),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> connections.server(AGENT, "everything")).isInstanceOf(NotFoundException.class);
        assertThat(connections.tools(AGENT)).isEmpty();
    }

    @Test
    void restartAndUpdateReconnectWithTheDeclarationInPlace() {
        connections.add(AGENT, "everything", TestPeers.everything());
        Instant firstConnected = connections.server(AGENT, "everything").connectedAt();

        McpServerState restarted = connections.restart(AGENT, "everything");
        assertThat(restarted.connected()).isTrue();
        assertThat(restarted.connectedAt()).isAfter(firstConnected);
        assertThat(restarted.persisted()).isFalse();

        McpServerDeclaration slower = new McpServerDeclaration("stdio", "node", TestPeers.everything().args(),
                Map.of(), null, Map.of(), 20_000, "lenient", true);
        McpServerState updated = connections.update(AGENT, "everything", slower);
        assertThat(updated.connected()).isTrue();
        assertThat(updated.declaration().timeoutMs()).isEqualTo(20_000);
        assertThat(connections.call(AGENT, "everything", "echo", "{\"message\":\"again\"}", null).output())
                .isEqualTo("Echo: again");
    }

    @Test
    void closingStopsEveryServerQuickly() {
        Set<Long> before = TestPeers.nodeProcesses("server-everything");
        connections.open(TestPeers.agent(AGENT, workspace,
                Map.of("one", TestPeers.everything(), "two", TestPeers.everything())));
        assertThat(connections.awaitReady(AGENT, Duration.ofSeconds(20))).isEmpty();
        Eventually.until("both connect", () -> connections.servers(AGENT).stream()
                .allMatch(McpServerState::connected), Duration.ofSeconds(20));
        Set<Long> started = new HashSet<>(TestPeers.nodeProcesses("server-everything"));
        started.removeAll(before);
        assertThat(started).hasSize(2);

        Instant start = Instant.now();
        connections.close();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(4));
        Eventually.until("the processes are gone", () -> started.stream().noneMatch(TestPeers::alive),
                Duration.ofSeconds(5));
        assertThat(connections.servers(AGENT)).isEmpty();
    }
}
