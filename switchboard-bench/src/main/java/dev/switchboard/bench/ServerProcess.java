package dev.switchboard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The server jar started as its own process, as an operator would run it. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final double startupMillis;

    private ServerProcess(Process process, int port, double startupMillis) {
        this.process = process;
        this.port = port;
        this.startupMillis = startupMillis;
    }

    /** Starts the server and waits for /health to answer 200, timing it from the process launch. */
    static ServerProcess start(Path launcher, Path home, String key) throws IOException, InterruptedException {
        // the benchmarks send thousands of requests a minute from one address with one key: the rate limits stay
        // on, so that their cost is part of the figures, but far above what a benchmark sends
        Files.writeString(home.resolve("switchboard.yml"), """
                rateLimits:
                  perIpPerMinute: 100000000
                  perCredentialPerMinute: 100000000
                """);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // started as an operator starts it: the launcher, its JVM options and its class-data archive
        List<String> command = List.of(launcher.toString(), "serve", "--home", home.toString(), "--port",
                String.valueOf(port));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("switchboard-bench", ".log").toFile());
        builder.environment().put("SWITCHBOARD_API_KEY", key);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        long t0 = System.nanoTime();
        Process process = builder.start();
        while (true) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue());
            }
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                process.destroyForcibly();
                throw new IllegalStateException("The server did not answer /health within 60 s");
            }
            Thread.sleep(2);
        }
        return new ServerProcess(process, port, (System.nanoTime() - t0) / 1e6);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    double startupMillis() {
        return startupMillis;
    }

    /** The resident set size of the server process, from /proc. */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("No VmRSS for process " + process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        // the first stop of a new jar writes its start-up cache, which takes a few seconds
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
