package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.event.EventPayload;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that dies, hangs or drops its connection fails the calls waiting on it, and comes back by itself. */
class ReconnectTest {

    private static final String AGENT = "agent-1";
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofMillis(300));

    @TempDir
    Path workspace;

    private final SdkMcpConnections connections = new SdkMcpConnections(System.getenv(), FAST);

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void aKilledStdioServerFailsTheCallInFlightAndComesBack() throws Exception {
        Set<Long> before = TestPeers.nodeProcesses("server-everything");
        connections.add(AGENT, "everything", TestPeers.everything());
        Set<Long> started = new HashSet<>(TestPeers.nodeProcesses("server-everything"));
        started.removeAll(before);
        assertThat(started).hasSize(1);
        Instant firstConnected = connections.server(AGENT, "everything").connectedAt();

        RecordingInteraction interaction = new RecordingInteraction();
        CompletableFuture<ToolOutcome> longCall = CompletableFuture.supplyAsync(() -> connections.call(AGENT,
                "everything", "trigger-long-running-operation", "{\"duration\":30,\"steps\":30}",
                interaction.context("call-long", workspace)));
        Eventually.until("the operation reports progress", () -> !interaction.published(
                EventPayload.ToolProgress.class).isEmpty(), Duration.ofSeconds(10));

        ProcessHandle.of(started.iterator().next()).orElseThrow().destroyForcibly();

        ToolOutcome outcome = longCall.get(5, TimeUnit.SECONDS);
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("'everything'", "exited");
        McpServerState lost = connections.server(AGENT, "everything");
        assertThat(lost.status()).isEqualTo("reconnecting");
        assertThat(lost.error()).contains("exited");
        ToolOutcome meanwhile = connections.call(AGENT, "everything", "echo", "{\"message\":\"anyone?\"}", null);
        assertThat(meanwhile.success()).isFalse();
        assertThat(meanwhile.error()).contains("not connected");

        Eventually.until("it reconnects", () -> connections.server(AGENT, "everything").connected(),
                Duration.ofSeconds(15));
        assertThat(connections.server(AGENT, "everything").connectedAt()).isAfter(firstConnected);
        assertThat(connections.call(AGENT, "everything", "echo", "{\"message\":\"back\"}", null).output())
                .isEqualTo("Echo: back");
    }

    @Test
    void aDroppedHttpServerIsNoticedAndReconnectedWhenItReturns() throws Exception {
        int port;
        try (TestPeers.HttpEverything server = TestPeers.HttpEverything.start("streamableHttp")) {
            port = server.port;
            connections.add(AGENT, "remote", TestPeers.remote("http", server.url("/mcp"), Map.of()));
            assertThat(connections.call(AGENT, "remote", "echo", "{\"message\":\"one\"}", null).output())
                    .isEqualTo("Echo: one");
        }

        Eventually.until("the drop is noticed", () -> connections.server(AGENT, "remote").status()
                .equals("reconnecting"), Duration.ofSeconds(10));
        assertThat(connections.call(AGENT, "remote", "echo", "{\"message\":\"two\"}", null).success()).isFalse();

        try (TestPeers.HttpEverything again = TestPeers.HttpEverything.start("streamableHttp", port)) {
            Eventually.until("it reconnects", () -> connections.server(AGENT, "remote").connected(),
                    Duration.ofSeconds(15));
            assertThat(connections.call(AGENT, "remote", "echo", "{\"message\":\"three\"}", null).output())
                    .isEqualTo("Echo: three");
        }
    }

    @Test
    void aCallThatOutlivesTheTimeoutFailsAndTheConnectionStays() {
        McpServerDeclaration everything = TestPeers.everything();
        connections.add(AGENT, "everything", new McpServerDeclaration("stdio", "node", everything.args(), Map.of(),
                null, Map.of(), 1_000, "lenient", true));

        Instant start = Instant.now();
        ToolOutcome outcome = connections.call(AGENT, "everything", "trigger-long-running-operation",
                "{\"duration\":8,\"steps\":2}", null);

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("within 1000 ms");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(4));
        assertThat(connections.call(AGENT, "everything", "echo", "{\"message\":\"still\"}", null).output())
                .isEqualTo("Echo: still");
        assertThat(connections.server(AGENT, "everything").connected()).isTrue();
    }

    @Test
    void cancellingTheRunAbortsTheWait() throws Exception {
        connections.add(AGENT, "everything", TestPeers.everything());
        RecordingInteraction interaction = new RecordingInteraction();
        ToolContext context = interaction.context("call-cancelled", workspace);
        CompletableFuture<ToolOutcome> longCall = CompletableFuture.supplyAsync(() -> connections.call(AGENT,
                "everything", "trigger-long-running-operation", "{\"duration\":30,\"steps\":30}", context));
        Eventually.until("the operation reports progress", () -> !interaction.published(
                EventPayload.ToolProgress.class).isEmpty(), Duration.ofSeconds(10));

        context.cancellation().cancel();

        ToolOutcome outcome = longCall.get(2, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo(ToolOutcome.failure("Cancelled"));
        assertThat(connections.call(AGENT, "everything", "echo", "{\"message\":\"next\"}", null).output())
                .isEqualTo("Echo: next");
    }

    @Test
    void aServerWithoutToolsOfThatNameAnswersWithAFailedOutcome() {
        connections.add(AGENT, "everything", TestPeers.everything());

        ToolOutcome outcome = connections.call(AGENT, "everything", "no-such-tool", "{}", null);
        ToolOutcome badJson = connections.call(AGENT, "everything", "echo", "{not json", null);

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("no-such-tool");
        assertThat(badJson.success()).isFalse();
        assertThat(badJson.error()).contains("not valid");
        assertThat(connections.server(AGENT, "everything").status()).isEqualTo("connected");
    }
}
