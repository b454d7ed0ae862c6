package dev.switchboard.mcp.sdk;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpServerDeclaration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The real MCP servers from npm that the tests talk to (installed by test-peers/install.sh). */
final class TestPeers {

    static final int TIMEOUT_MS = 15_000;

    private TestPeers() {
    }

    static Path dir() {
        String configured = System.getProperty("switchboard.testPeers");
        Path dir = Path.of(configured != null ? configured : "../test-peers").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol"))) {
            throw new IllegalStateException("The MCP test peers are not installed in " + dir
                    + ": run test-peers/install.sh (Maven does it before the tests)");
        }
        return dir;
    }

    static String entry(String packageName) {
        return dir().resolve("node_modules/@modelcontextprotocol/" + packageName + "/dist/index.js").toString();
    }

    static McpServerDeclaration stdio(List<String> args, Map<String, String> env) {
        return new McpServerDeclaration("stdio", "node", args, env, null, Map.of(), TIMEOUT_MS, "lenient", true);
    }

    static McpServerDeclaration everything() {
        return stdio(List.of(entry("server-everything"), "stdio"), Map.of());
    }

    static McpServerDeclaration filesystem(Path root) {
        return stdio(List.of(entry("server-filesystem"), root.toString()), Map.of());
    }

    static McpServerDeclaration memory(Path file) {
        return stdio(List.of(entry("server-memory")), Map.of("MEMORY_FILE_PATH", file.toString()));
    }

    static McpServerDeclaration remote(String type, String url, Map<String, String> headers) {
        return new McpServerDeclaration(type, null, List.of(), Map.of(), url, headers, TIMEOUT_MS, "lenient", true);
    }

    static McpServerDeclaration strict(McpServerDeclaration d) {
        return new McpServerDeclaration(d.type(), d.command(), d.args(), d.env(), d.url(), d.headers(),
                d.timeoutMs(), "strict", d.enabled());
    }

    static McpServerDeclaration disabled(McpServerDeclaration d) {
        return new McpServerDeclaration(d.type(), d.command(), d.args(), d.env(), d.url(), d.headers(),
                d.timeoutMs(), d.connectionMode(), false);
    }

    static AgentDefinition agent(String id, Path workspace, Map<String, McpServerDeclaration> servers) {
        return new AgentDefinition(id, id, null, "", null, null, List.of(), new LinkedHashMap<>(servers), null,
                null, workspace, null);
    }

    /** Node processes this JVM started for {@code packageName}, by pid. */
    static Set<Long> nodeProcesses(String packageName) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(line -> line.contains(packageName)).orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** server-everything over HTTP, bound to 127.0.0.1 on a free port; closing it stops the process. */
    static final class HttpEverything implements AutoCloseable {

        final int port;
        private final Process process;

        private HttpEverything(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        /** @param transport {@code sse} or {@code streamableHttp}, as server-everything names them */
        static HttpEverything start(String transport) throws IOException {
            return start(transport, freePort());
        }

        static HttpEverything start(String transport, int port) throws IOException {
            Path log = Files.createTempFile("server-everything-" + transport, ".log");
            ProcessBuilder builder = new ProcessBuilder("node", "--require", dir().resolve("loopback.cjs").toString(),
                    entry("server-everything"), transport)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("PORT", String.valueOf(port));
            HttpEverything peer = new HttpEverything(port, builder.start());
            peer.awaitListening(log);
            return peer;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        private void awaitListening(Path log) throws IOException {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server-everything exited: " + Files.readString(log));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return;
                } catch (IOException notYet) {
                    Eventually.pause();
                }
            }
            close();
            throw new IllegalStateException("server-everything did not listen on " + port + ": "
                    + Files.readString(log));
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
