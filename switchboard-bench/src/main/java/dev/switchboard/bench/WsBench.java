package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Event fan-out of {@code /ws}: a real server process, the fake LLM at zero latency, 1,000 WebSocket subscribers of
 * one user on {@code agent.message}. (w1) for each streamed chunk of a run, the time from the event (its timestamp,
 * taken when the run published it) to its arrival at the last of the 1,000 subscribers, p50 and p99 over the chunks
 * of several runs; (w2) the server's memory per idle connection: resident set size and live heap (class
 * histogram), with 1,000 idle subscribed connections against none, and the classes that grew. Run by hand:
 * {@code bin/bench ws}.
 */
public final class WsBench {

    private static final String KEY = "bench-key-0123456789";
    private static final int SUBSCRIBERS = 1000;
    private static final int RUNS = 5;
    private static final int CLIENTS = 4;
    private static final String ANSWER = "word ".repeat(199) + "end.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per event seq: how many subscribers have it and when (epoch micros) the latest one got it. */
    private final Map<Long, long[]> arrivals = new ConcurrentHashMap<>();
    private final Map<Long, Long> published = new ConcurrentHashMap<>();
    private volatile CountDownLatch runsDone = new CountDownLatch(0);

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "bin/switchboard").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No launcher at " + jar);
        }
        new WsBench().run(jar);
    }

    private void run(Path jar) throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text(ANSWER).withUsage(20, 200));
            Path home = Files.createTempDirectory("switchboard-bench-ws");
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
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                // one HttpClient reads all its sockets on one selector thread; several spread the client's work
                List<HttpClient> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
                }
                // warm the run path before measuring anything
                for (int i = 0; i < 20; i++) {
                    send(http, server.baseUrl(), "warm");
                }
                URI uri = URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/ws?token=" + KEY);
                // warm the WebSocket path too (its classes, compiled code and the server's buffer pools) with a
                // round of connections that are closed again, so that the baseline holds those one-time costs and
                // the figure below is what each further idle connection adds
                warmSockets(clients, uri);
                Thread.sleep(2000);
                long[] before = memory(server);
                Map<String, long[]> classesBefore = histogram(server);

                List<WebSocket> sockets = new ArrayList<>();
                CountDownLatch subscribed = new CountDownLatch(SUBSCRIBERS);
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    sockets.add(clients.get(i % CLIENTS).newWebSocketBuilder().buildAsync(uri,
                            new Subscriber(subscribed)).join());
                }
                for (WebSocket socket : sockets) {
                    socket.sendText("{\"type\":\"subscribe\",\"channels\":[\"agent.message\",\"agent.status\"]}", true)
                            .join();
                }
                if (!subscribed.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Not every subscriber was subscribed within 60 s");
                }
                Thread.sleep(2000);
                long[] idle = memory(server);
                Map<String, long[]> classesIdle = histogram(server);
                System.out.printf(Locale.ROOT, "(w2) memory per idle connection (%d subscribed): RSS %.1f KB, live "
                        + "heap (class histogram after full GC) %.2f KB%n", SUBSCRIBERS,
                        (idle[0] - before[0]) / (double) SUBSCRIBERS, (idle[1] - before[1]) / 1024.0 / SUBSCRIBERS);
                printTopGrowth(classesBefore, classesIdle);

                List<Double> firstMillis = new ArrayList<>();
                List<Double> lastMillis = new ArrayList<>();
                List<Double> spreadMillis = new ArrayList<>();
                for (int run = 0; run < RUNS + 1; run++) {
                    arrivals.clear();
                    published.clear();
                    runsDone = new CountDownLatch(SUBSCRIBERS);
                    send(http, server.baseUrl(), "fan-out-" + run);
                    if (!runsDone.await(120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("Not every subscriber saw run:complete within 120 s");
                    }
                    if (run == 0) {
                        continue; // warm-up
                    }
                    for (Map.Entry<Long, long[]> e : arrivals.entrySet()) {
                        long[] a = e.getValue();
                        if (a[0] != SUBSCRIBERS) {
                            throw new IllegalStateException("Event " + e.getKey() + " reached " + a[0] + " of "
                                    + SUBSCRIBERS + " subscribers");
                        }
                        lastMillis.add((a[1] - published.get(e.getKey()) * 1000) / 1000.0);
                        firstMillis.add((a[2] - published.get(e.getKey()) * 1000) / 1000.0);
                        spreadMillis.add((a[1] - a[2]) / 1000.0);
                    }
                }
                double[] last = lastMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] first = firstMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] spread = spreadMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "(w1) event to the last of %d subscribers: p50 %.1f ms, p99 %.1f "
                        + "ms; to the first: p50 %.1f ms, p99 %.1f ms; first to last subscriber: p50 %.1f ms, p99 "
                        + "%.1f ms (n=%d chunks over %d runs, %d client HttpClients)%n", SUBSCRIBERS, pct(last, 50),
                        pct(last, 99), pct(first, 50), pct(first, 99), pct(spread, 50), pct(spread, 99), last.length,
                        RUNS, CLIENTS);
                for (WebSocket socket : sockets) {
                    socket.abort();
                }
            }
        }
    }

    /** A subscriber: counts each chunk's arrivals and the latest arrival time, and each run's end. */
    private final class Subscriber implements WebSocket.Listener {
        private final CountDownLatch subscribed;
        private final StringBuilder partial = new StringBuilder();

        Subscriber(CountDownLatch subscribed) {
            this.subscribed = subscribed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Instant now = Instant.now();
                long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    String type = frame.path("type").asText();
                    String name = frame.path("name").asText();
                    if (type.equals("subscribed")) {
                        subscribed.countDown();
                    } else if (name.equals("llm:chunk")) {
                        long seq = frame.path("seq").asLong();
                        published.putIfAbsent(seq, frame.path("timestamp").asLong());
                        arrivals.compute(seq, (k, a) -> a == null ? new long[] {1, micros, micros}
                                : new long[] {a[0] + 1, Math.max(a[1], micros), Math.min(a[2], micros)});
                    } else if (name.equals("run:complete")) {
                        runsDone.countDown();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    private static void send(HttpClient http, String base, String session) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/api/message-sync"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sessionId\":\"" + session + "\",\"content\":\"go\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("message-sync answered " + reply.statusCode() + ": " + reply.body());
        }
    }

    /** Opens, subscribes and closes a round of connections: the one-time costs of the path, before the baseline. */
    private void warmSockets(List<HttpClient> clients, URI uri) throws Exception {
        int count = SUBSCRIBERS / 4;
        CountDownLatch subscribed = new CountDownLatch(count);
        List<WebSocket> warm = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            warm.add(clients.get(i % clients.size()).newWebSocketBuilder().buildAsync(uri,
                    new Subscriber(subscribed)).join());
        }
        for (WebSocket socket : warm) {
            socket.sendText("{\"type\":\"subscribe\",\"channels\":[\"agent.message\",\"agent.status\"]}", true)
                    .join();
        }
        subscribed.await(60, TimeUnit.SECONDS);
        for (WebSocket socket : warm) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "warm-up done").join();
        }
    }

    /**
     * The server's RSS in KB and its live heap in bytes: the total of {@code GC.class_histogram}, which counts only
     * the objects reachable after a full GC, whatever the collector ({@code GC.heap_info}'s first "used" line is the
     * young generation alone under some collectors, which is how an earlier run read 0.1 KB per connection).
     */
    private static long[] memory(ServerProcess server) throws Exception {
        long live = -1;
        for (String line : jcmd(server.pid(), "GC.class_histogram").split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 3 && cells[0].equals("Total")) {
                live = Long.parseLong(cells[2]);
            }
        }
        return new long[] {server.rssKb(), live};
    }

    /** Instances and bytes per class of the live heap. */
    private static Map<String, long[]> histogram(ServerProcess server) throws Exception {
        Map<String, long[]> classes = new java.util.HashMap<>();
        for (String line : jcmd(server.pid(), "GC.class_histogram").split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 4 && cells[0].endsWith(":")) {
                classes.put(cells[3], new long[] {Long.parseLong(cells[1]), Long.parseLong(cells[2])});
            }
        }
        return classes;
    }

    /** The classes whose live bytes grew most, per connection: what an idle connection holds. */
    private static void printTopGrowth(Map<String, long[]> before, Map<String, long[]> after) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
                .forEach(e -> System.out.printf(Locale.ROOT, "      %8.1f B  %6.2f objects  %s%n",
                        e.getValue()[1] / (double) SUBSCRIBERS, e.getValue()[0] / (double) SUBSCRIBERS,
                        e.getKey()));
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
