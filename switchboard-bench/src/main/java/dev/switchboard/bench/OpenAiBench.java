package dev.switchboard.bench;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * The OpenAI-compatible stream against the native one on the same run: a real server process, the fake LLM at
 * zero latency. (o1) time to the first content chunk, (o2) per-chunk overhead (the time from the first to the last
 * content chunk of a 200-word answer, divided by the chunks between them), for {@code POST /api/message-stream}
 * and {@code POST /v1/chat/completions} with {@code stream: true}, requests of the two routes interleaved so
 * that both see the same machine. Run by hand: {@code bin/bench openai}.
 */
public final class OpenAiBench {

    private static final String KEY = "bench-key-0123456789";
    private static final String SHORT = "The answer is forty-two.";
    private static final String LONG = ("word ".repeat(199) + "end.");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger ids = new AtomicInteger();

    /** One streamed answer: when its first and last content chunks arrived (ms after sending) and how many. */
    private record Timing(double first, double last, int chunks) {
        double perChunk() {
            return chunks < 2 ? 0 : (last - first) / (chunks - 1);
        }
    }

    private enum Route { NATIVE, OPENAI }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "bin/switchboard").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No launcher at " + jar);
        }
        new OpenAiBench().run(jar);
    }

    private void run(Path jar) throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            Path home = Files.createTempDirectory("switchboard-bench-openai");
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
            ServerProcess.start(jar, home, KEY).close();
            try (ServerProcess server = ServerProcess.start(jar, home, KEY)) {
                String base = server.baseUrl();
                fake.otherwise(Reply.text(SHORT).withUsage(20, 6));
                measure(base, 1000);
                double[][] first = measure(base, 2000);
                fake.reset();
                fake.otherwise(Reply.text(LONG).withUsage(20, 200));
                measure(base, 100);
                double[][] perChunk = measurePerChunk(base, 400);

                for (Route route : Route.values()) {
                    double[] f = first[route.ordinal()];
                    double[] c = perChunk[route.ordinal()];
                    Arrays.sort(f);
                    Arrays.sort(c);
                    System.out.printf(Locale.ROOT, "(o1) %-24s time to first content chunk: p50 %.2f ms, p99 %.2f ms "
                            + "(n=%d)%n", label(route), pct(f, 50), pct(f, 99), f.length);
                    System.out.printf(Locale.ROOT, "(o2) %-24s per-chunk overhead, 200-chunk answer: p50 %.1f us, "
                            + "p99 %.1f us (n=%d)%n", label(route), pct(c, 50) * 1000, pct(c, 99) * 1000, c.length);
                }
                double[] nf = first[0];
                double[] of = first[1];
                double[] nc = perChunk[0];
                double[] oc = perChunk[1];
                System.out.printf(Locale.ROOT, "(o3) OpenAI / native at p50: first chunk %.3f, per chunk %.3f%n",
                        pct(of, 50) / pct(nf, 50), pct(oc, 50) / pct(nc, 50));
            }
        }
    }

    private static String label(Route route) {
        return route == Route.NATIVE ? "/api/message-stream" : "/v1/chat/completions";
    }

    /** Time to the first content chunk of each route, {@code n} requests each, interleaved. */
    private double[][] measure(String base, int n) throws IOException, InterruptedException {
        double[][] times = new double[2][n];
        for (int i = 0; i < n; i++) {
            for (Route route : Route.values()) {
                times[route.ordinal()][i] = stream(base, route).first();
            }
        }
        return times;
    }

    private double[][] measurePerChunk(String base, int n) throws IOException, InterruptedException {
        double[][] times = new double[2][n];
        for (int i = 0; i < n; i++) {
            for (Route route : Route.values()) {
                Timing timing = stream(base, route);
                if (timing.chunks() < 200) {
                    throw new IllegalStateException(route + " streamed " + timing.chunks() + " content chunks");
                }
                times[route.ordinal()][i] = timing.perChunk();
            }
        }
        return times;
    }

    private Timing stream(String base, Route route) throws IOException, InterruptedException {
        int id = ids.incrementAndGet();
        HttpRequest request = route == Route.NATIVE
                ? post(base + "/api/message-stream", "{\"sessionId\":\"bench-" + id + "\",\"content\":\"go\"}")
                : post(base + "/v1/chat/completions", "{\"model\":\"agent:default\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(label(route) + " answered " + response.statusCode());
        }
        double first = -1;
        double last = -1;
        int chunks = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                boolean content = route == Route.NATIVE ? line.equals("event: llm:chunk")
                        : line.startsWith("data: {") && line.contains("\"delta\":{\"content\":\"");
                boolean end = route == Route.NATIVE ? line.equals("event: run:complete") : line.equals("data: [DONE]");
                if (content) {
                    last = (System.nanoTime() - t0) / 1e6;
                    if (first < 0) {
                        first = last;
                    }
                    chunks++;
                }
                if (end) {
                    break;
                }
            }
        }
        if (first < 0) {
            throw new IllegalStateException(label(route) + " streamed no content");
        }
        return new Timing(first, last, chunks);
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static double pct(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
