package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures a real server process against the fake LLM at zero latency: (a) sequential message-sync on new
 * sessions, (b) 20 sessions x 5 turns concurrently, (c) time to the first SSE byte, (d) server RSS after the
 * load, (e) process start to /health 200, (i) the cost of each kind of credential. Run by hand: {@code bin/bench}.
 */
public final class ServerBench {

    private static final String KEY = "bench-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger ids = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "bin/switchboard").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No launcher at " + jar);
        }
        new ServerBench().run(jar);
    }

    private void run(Path jar) throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("The answer is forty-two.").withUsage(20, 6));
            Path home = Files.createTempDirectory("switchboard-bench");
            Files.createDirectories(home.resolve("agents"));
            Files.writeString(home.resolve("agents/default.yml"), """
                    systemPrompt: You are a benchmark agent.
                    llm:
                      provider: openai-compatible
                      model: gpt-4o-mini
                      apiKey: bench
                      baseURL: %s
                      maxRetries: 0
                    """.formatted(fake.openAiBaseUrl()));

            List<Double> startups = new ArrayList<>();
            // the first start writes the class-data archive (and migrates the database): not measured
            ServerProcess.start(jar, home, KEY).close();
            for (int i = 0; i < 5; i++) {
                ServerProcess warm = ServerProcess.start(jar, home, KEY);
                startups.add(warm.startupMillis());
                warm.close();
                fake.reset();
                fake.otherwise(Reply.text("The answer is forty-two.").withUsage(20, 6));
            }

            try (ServerProcess server = ServerProcess.start(jar, home, KEY)) {
                String base = server.baseUrl();
                // warm up the JIT the way a server that has run for a while is warm
                for (int i = 0; i < 3000; i++) {
                    sync(base, "warm-" + i);
                }
                double[] sequential = new double[3000];
                for (int i = 0; i < sequential.length; i++) {
                    long t0 = System.nanoTime();
                    sync(base, "seq-" + i);
                    sequential[i] = (System.nanoTime() - t0) / 1e6;
                }
                for (int i = 0; i < 5; i++) {
                    concurrent(base, "warmc" + i);
                }
                double[] walls = new double[15];
                for (int i = 0; i < walls.length; i++) {
                    walls[i] = concurrent(base, "conc" + i);
                }
                for (int i = 0; i < 200; i++) {
                    firstSseByte(base);
                }
                double[] firstBytes = new double[1000];
                for (int i = 0; i < firstBytes.length; i++) {
                    firstBytes[i] = firstSseByte(base);
                }
                long rssKb = server.rssKb();
                Map<String, double[]> credentials = credentialChecks(base);

                Arrays.sort(sequential);
                Arrays.sort(walls);
                Arrays.sort(firstBytes);
                double[] starts = startups.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "(a) message-sync, new session each, sequential: p50 %.2f ms, p99 %.2f ms (n=%d)%n",
                        pct(sequential, 50), pct(sequential, 99), sequential.length);
                System.out.printf(Locale.ROOT, "(b) 20 sessions x 5 turns concurrently: median wall %.3f s (best %.3f, worst %.3f)%n",
                        pct(walls, 50) / 1000, walls[0] / 1000, walls[walls.length - 1] / 1000);
                System.out.printf(Locale.ROOT, "(c) time to first SSE byte: p50 %.2f ms, p99 %.2f ms (n=%d)%n",
                        pct(firstBytes, 50), pct(firstBytes, 99), firstBytes.length);
                System.out.printf(Locale.ROOT, "(d) server RSS after the load: %d MB%n", rssKb / 1024);
                System.out.printf(Locale.ROOT, "(e) process start to /health 200: median %.0f ms (best %.0f, worst %.0f, n=%d)%n",
                        pct(starts, 50), starts[0], starts[starts.length - 1], starts.length);
                credentials.forEach((kind, times) -> System.out.printf(Locale.ROOT,
                        "(i) GET /api/auth/me with %s: p50 %.3f ms, p99 %.3f ms (n=%d)%n", kind, pct(times, 50),
                        pct(times, 99), times.length));
            }
        }
    }

    /**
     * The cost of each kind of credential on a route that does little else: the operator's key (one SHA-256), a
     * user's access token (signature plus the session and user looked up), a personal access token (its hash
     * looked up, the user too).
     */
    private Map<String, double[]> credentialChecks(String base) throws IOException, InterruptedException {
        send(post(base + "/api/admin/users", "{\"username\":\"bench\",\"password\":\"bench-password-1\"}", KEY),
                201);
        String login = send(post(base + "/api/auth/login",
                "{\"username\":\"bench\",\"password\":\"bench-password-1\"}", null), 200);
        String access = JSON.readTree(login).path("accessToken").asText();
        String pat = JSON.readTree(send(post(base + "/api/api-tokens", "{\"name\":\"bench\"}", access), 201))
                .path("token").asText();
        Map<String, double[]> times = new LinkedHashMap<>();
        times.put("the API key", timeMe(base, KEY));
        times.put("an access token", timeMe(base, access));
        times.put("a personal access token", timeMe(base, pat));
        return times;
    }

    private double[] timeMe(String base, String credential) throws IOException, InterruptedException {
        HttpRequest me = HttpRequest.newBuilder(URI.create(base + "/api/auth/me"))
                .header("Authorization", "Bearer " + credential).GET().build();
        for (int i = 0; i < 2000; i++) {
            send(me, 200);
        }
        double[] times = new double[3000];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            send(me, 200);
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        return times;
    }

    private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private void sync(String base, String session) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(post(base + "/api/message-sync",
                "{\"sessionId\":\"" + session + "-" + ids.incrementAndGet() + "\",\"content\":\"What is the answer?\"}"),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("message-sync answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** 20 sessions, each sending 5 messages one after the other; returns the wall time in ms. */
    private double concurrent(String base, String prefix) throws Exception {
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sessions = new ArrayList<>();
            for (int s = 0; s < 20; s++) {
                String session = prefix + "-" + s;
                sessions.add(pool.submit(() -> {
                    for (int turn = 0; turn < 5; turn++) {
                        sync(base, session + "-t" + turn);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sessions) {
                f.get();
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private double firstSseByte(String base) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response = http.send(post(base + "/api/message-stream",
                "{\"sessionId\":\"sse-" + ids.incrementAndGet() + "\",\"content\":\"stream please\"}"),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (body.read() < 0 || response.statusCode() != 200) {
                throw new IllegalStateException("message-stream answered " + response.statusCode());
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            body.readAllBytes();
            return ms;
        }
    }

    private static HttpRequest post(String url, String json) {
        return post(url, json, KEY);
    }

    private static HttpRequest post(String url, String json, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return request.build();
    }

    private static double pct(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
