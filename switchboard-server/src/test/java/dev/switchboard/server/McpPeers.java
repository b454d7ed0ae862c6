package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The real MCP servers from npm that {@code test-peers/install.sh} puts in place, as the tests start them. */
final class McpPeers {

    private McpPeers() {
    }

    /** The {@code test-peers} folder; a missing install fails the test rather than skipping it. */
    static Path dir() {
        String configured = System.getProperty("switchboard.testPeers");
        assertThat(configured).as("system property switchboard.testPeers (set by the build)").isNotBlank();
        Path path = Path.of(configured).toAbsolutePath().normalize();
        assertThat(path.resolve("node_modules/@modelcontextprotocol/server-everything")).as("test peers installed "
                + "by test-peers/install.sh").isDirectory();
        return path;
    }

    static Path nodeModules() {
        return dir().resolve("node_modules");
    }

    static String everythingScript() {
        return script("server-everything");
    }

    static String script(String server) {
        Path script = nodeModules().resolve("@modelcontextprotocol/" + server + "/dist/index.js");
        assertThat(script).exists();
        return script.toString();
    }

    /** The agent file lines declaring server-everything over stdio as {@code everything}. */
    static String everythingOverStdio(String connectionMode) {
        return """
                mcpServers:
                  everything:
                    command: node
                    args: [%s, stdio]
                    connectionMode: %s
                """.formatted(everythingScript(), connectionMode);
    }

    /** Kills the stdio server-everything processes this JVM started, as a crash would. */
    static int killEverything() {
        int[] killed = {0};
        ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                .forEach(p -> {
                    if (p.destroyForcibly()) {
                        killed[0]++;
                    }
                });
        return killed[0];
    }

    /**
     * A Node preload script that makes every server listen on 127.0.0.1 only: server-everything's HTTP
     * transports listen on every interface, and tests must not.
     */
    static Path loopbackOnly() {
        Path script = dir().resolve("loopback.cjs");
        assertThat(script).as("test-peers/loopback.cjs").exists();
        return script;
    }
}
