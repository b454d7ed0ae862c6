package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.mcp.sdk.SdkMcpConnections;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures what Switchboard adds to an MCP tool call, and what connected MCP servers cost it in memory:
 * (f) the MCP server's own time for a trivial call (server-everything's {@code echo} over stdio, driven by a bare
 * JSON-RPC client), (g) a run in which the model calls that tool 10 times against the same run calling a built-in
 * tool 10 times, through a real server process, giving the server's overhead per MCP call beyond the MCP server's
 * own time, (h) the server's RSS with 20 MCP servers connected against none. Run by hand: {@code bin/bench mcp}.
 */
public final class McpBench {

    private static final String KEY = "bench-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLS_PER_RUN = 10;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger ids = new AtomicInteger();
    private final Path launcher;
    private final String everything;

    private McpBench(Path launcher, Path peers) {
        this.launcher = launcher;
        this.everything = peers.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js")
                .toString();
        if (!Files.exists(Path.of(everything))) {
            throw new IllegalStateException("server-everything is not installed: run test-peers/install.sh");
        }
    }

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args.length > 0 ? args[0] : "bin/switchboard").toAbsolutePath();
        Path peers = Path.of(args.length > 1 ? args[1] : "test-peers").toAbsolutePath();
        new McpBench(launcher, peers).run();
    }

    private void run() throws Exception {
        double ownMs = rawRoundTrip();
        System.out.printf(Locale.ROOT, "(f) the MCP server's own time for echo over stdio (bare JSON-RPC client): "
                + "median %.3f ms%n", ownMs);
        double adapterMs = adapterRoundTrip();
        System.out.printf(Locale.ROOT, "(f') the same call through the MCP adapter in process (SdkMcpConnections.call):"
                + " median %.3f ms, %.3f ms beyond the MCP server's own time%n", adapterMs, adapterMs - ownMs);
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("mcp").and(r -> toolResults(r) < CALLS_PER_RUN),
                    Reply.toolCall("mcp__everything__echo", "{\"message\":\"ping\"}"));
            fake.on(Match.lastUserMessageContains("builtin").and(r -> toolResults(r) < CALLS_PER_RUN),
                    Reply.toolCall("current_time", "{}"));
            fake.otherwise(Reply.text("done"));

            double[] perCall = overheadPerCall(fake);
            System.out.printf(Locale.ROOT, "(g) run with %d MCP calls vs %d built-in calls: Switchboard's cost per MCP "
                    + "call %.3f ms (p25 %.3f, p75 %.3f), of which beyond the MCP server's own time %.3f ms (n=%d "
                    + "pairs)%n", CALLS_PER_RUN, CALLS_PER_RUN, pct(perCall, 50), pct(perCall, 25), pct(perCall, 75),
                    pct(perCall, 50) - ownMs, perCall.length);

            long none = rssWithServers(fake, 0);
            long twenty = rssWithServers(fake, 20);
            System.out.printf(Locale.ROOT, "(h) server RSS with 0 MCP servers: %d MB; with 20 connected: %d MB "
                    + "(+%.1f MB per server)%n", none / 1024, twenty / 1024, (twenty - none) / 1024.0 / 20);
        }
    }

    /** The median round trip of {@code tools/call echo} straight over the server's stdin and stdout. */
    private double rawRoundTrip() throws Exception {
        Process process = new ProcessBuilder("node", everything, "stdio")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
            request(in, out, 0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}");
            in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String echo = "{\"name\":\"echo\",\"arguments\":{\"message\":\"ping\"}}";
            for (int i = 1; i <= 2000; i++) {
                request(in, out, i, "tools/call", echo);
            }
            double[] times = new double[5000];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                request(in, out, 10_000 + i, "tools/call", echo);
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(times);
            return pct(times, 50);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The median time of the same call through the adapter the server uses, in this process. */
    private double adapterRoundTrip() throws Exception {
        try (SdkMcpConnections connections = new SdkMcpConnections(System.getenv())) {
            connections.add("bench", "everything", new McpServerDeclaration("stdio", "node",
                    java.util.List.of(everything, "stdio"), java.util.Map.of(), null, java.util.Map.of(), 30_000,
                    "strict", true));
            ToolContext context = new ToolContext("bench", "bench", null, null, "call", new Cancellation(), null,
                    ToolInteraction.NONE);
            String arguments = "{\"message\":\"ping\"}";
            for (int i = 0; i < 2000; i++) {
                connections.call("bench", "everything", "echo", arguments, context);
            }
            double[] times = new double[5000];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                if (!connections.call("bench", "everything", "echo", arguments, context).success()) {
                    throw new IllegalStateException("echo failed through the adapter");
                }
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(times);
            return pct(times, 50);
        }
    }

    private static void request(OutputStream in, BufferedReader out, int id, String method, String params)
            throws IOException {
        in.write(("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}\n")
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            JsonNode message = JSON.readTree(line);
            if (message.path("id").asInt(-1) == id) {
                if (message.has("error")) {
                    throw new IllegalStateException("MCP error: " + message.get("error"));
                }
                return;
            }
        }
        throw new IllegalStateException("server-everything closed its output");
    }

    /**
     * Paired runs on one server: {@value #CALLS_PER_RUN} echo calls through MCP, then {@value #CALLS_PER_RUN}
     * current_time calls; each pair's difference divided by the calls is the MCP path's cost per call.
     */
    private double[] overheadPerCall(FakeLlmServer fake) throws Exception {
        Path home = home(fake, 1);
        try (ServerProcess server = ServerProcess.start(launcher, home, KEY)) {
            awaitConnected(server.baseUrl(), 1);
            for (int i = 0; i < 100; i++) {
                run(server.baseUrl(), "mcp");
                run(server.baseUrl(), "builtin");
            }
            double[] perCall = new double[1000];
            for (int i = 0; i < perCall.length; i++) {
                double mcp = run(server.baseUrl(), "mcp");
                double builtin = run(server.baseUrl(), "builtin");
                perCall[i] = (mcp - builtin) / CALLS_PER_RUN;
            }
            Arrays.sort(perCall);
            return perCall;
        }
    }

    private long rssWithServers(FakeLlmServer fake, int servers) throws Exception {
        Path home = home(fake, servers);
        try (ServerProcess server = ServerProcess.start(launcher, home, KEY)) {
            awaitConnected(server.baseUrl(), servers);
            for (int i = 0; i < 50; i++) {
                run(server.baseUrl(), "builtin");
            }
            Thread.sleep(2000);
            return server.rssKb();
        }
    }

    /** A home whose default agent talks to the fake model and connects {@code servers} server-everything copies. */
    private Path home(FakeLlmServer fake, int servers) throws IOException {
        Path home = Files.createTempDirectory("switchboard-mcp-bench");
        Files.createDirectories(home.resolve("agents"));
        StringBuilder yaml = new StringBuilder("""
                systemPrompt: You are a benchmark agent.
                llm:
                  provider: openai-compatible
                  model: gpt-4o-mini
                  apiKey: bench
                  baseURL: %s
                  maxIterations: 20
                  maxRetries: 0
                tools: [current_time]
                permissions: {mode: manual, alwaysAllow: ['mcp__*']}
                """.formatted(fake.openAiBaseUrl()));
        if (servers > 0) {
            yaml.append("mcpServers:\n");
            for (int i = 0; i < servers; i++) {
                String name = i == 0 ? "everything" : "everything" + i;
                yaml.append("  ").append(name).append(":\n    command: node\n    args: [")
                        .append(everything).append(", stdio]\n    connectionMode: strict\n");
            }
        }
        Files.writeString(home.resolve("agents/default.yml"), yaml);
        return home;
    }

    private void awaitConnected(String base, int servers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode list = JSON.readTree(get(base + "/api/mcp/servers")).path("servers");
            long connected = 0;
            for (JsonNode server : list) {
                if ("connected".equals(server.path("status").asText())) {
                    connected++;
                }
            }
            if (connected == servers) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + connected + " of " + servers + " MCP servers connected");
            }
            Thread.sleep(100);
        }
    }

    /** One message-sync on a new session; returns its time in ms. */
    private double run(String base, String kind) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/message-sync"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sessionId\":\"" + kind + "-" + ids.incrementAndGet()
                        + "\",\"content\":\"call the " + kind + " tool\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.path("steps").asInt() != CALLS_PER_RUN + 1) {
            throw new IllegalStateException("The " + kind + " run answered " + response.statusCode() + ": "
                    + response.body());
        }
        return ms;
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int toolResults(RecordedRequest request) {
        int count = 0;
        for (JsonNode message : request.messages()) {
            if ("tool".equals(message.path("role").asText())) {
                count++;
            }
        }
        return count;
    }

    private static double pct(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
