package dev.switchboard.bench;

import dev.switchboard.content.TextPart;
import dev.switchboard.search.SearchPage;
import dev.switchboard.search.SearchQuery;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Conversation search over 100,000 stored messages: the store is filled directly through {@link JdbcStore}
 * (5 owners × 200 sessions × 100 messages of 10–60 words drawn from a Zipf-distributed vocabulary of 20,000
 * words), then {@code ConversationSearch.messages} is timed through the store (no HTTP) for one owner's first
 * page of 20, for rare, middling and common words, two-word searches and phrases. Run by hand:
 * {@code bin/bench search} (SQLite file) or {@code bin/bench search jdbc:postgresql://host/db user [password]}
 * (a schema of its own, dropped afterwards).
 */
public final class SearchBench {

    private static final int OWNERS = 5;
    private static final int SESSIONS_PER_OWNER = 200;
    private static final int MESSAGES_PER_SESSION = 100;
    private static final int VOCABULARY = 20_000;
    private static final int WARM_UP = 300;
    private static final int MEASURED = 1000;

    private final String[] words = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : null;
        String user = args.length > 1 ? args[1] : null;
        String password = args.length > 2 ? args[2] : null;
        new SearchBench().run(url, user, password);
    }

    private SearchBench() {
        Random random = new Random(42);
        double total = 0;
        for (int i = 0; i < VOCABULARY; i++) {
            words[i] = word(random);
            total += 1.0 / (i + 1);
            cumulative[i] = total;
        }
        for (int i = 0; i < VOCABULARY; i++) {
            cumulative[i] /= total;
        }
    }

    private void run(String url, String user, String password) throws Exception {
        Path folder = null;
        String schema = null;
        if (url == null) {
            folder = Files.createTempDirectory("switchboard-bench-search");
            url = "jdbc:sqlite:" + folder.resolve("switchboard.db");
        } else if (url.startsWith("jdbc:postgresql:")) {
            schema = "sb_bench_search_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            url = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
        try (JdbcStore store = JdbcStore.open(url, user, password)) {
            long start = System.nanoTime();
            fill(store, url.startsWith("jdbc:postgresql:") ? 8 : 1);
            System.out.printf(Locale.ROOT, "filled %,d messages in %.1f s (%s)%n",
                    OWNERS * SESSIONS_PER_OWNER * MESSAGES_PER_SESSION, (System.nanoTime() - start) / 1e9,
                    url.replaceAll("\\?.*", ""));
            measure(store);
        } finally {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(url.replaceAll("[?&]currentSchema=.*", ""), user,
                        password)) {
                    c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
            if (folder != null) {
                try (var files = Files.walk(folder)) {
                    for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    private void fill(JdbcStore store, int threads) throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int o = 0; o < OWNERS; o++) {
            for (int s = 0; s < SESSIONS_PER_OWNER; s++) {
                String owner = "owner-" + o;
                String session = "s-" + o + "-" + s;
                int seed = o * SESSIONS_PER_OWNER + s;
                work.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    store.createSession(session, owner, "default", t0);
                    for (int m = 0; m < MESSAGES_PER_SESSION; m++) {
                        Role role = m % 2 == 0 ? Role.USER : Role.ASSISTANT;
                        store.appendMessage(owner, new Message("m-" + session + "-" + m, session, null, role,
                                List.of(new TextPart(sentence(random))), null, List.of(), null, null, null, null,
                                null, null, null, t0.plusSeconds(seed * 1000L + m)));
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }

    private void measure(JdbcStore store) {
        Random random = new Random(7);
        Map<String, Supplier<String>> kinds = new LinkedHashMap<>();
        kinds.put("rare word (rank 5000-20000)", () -> words[5000 + random.nextInt(15_000)]);
        kinds.put("middling word (rank 200-2000)", () -> words[200 + random.nextInt(1800)]);
        kinds.put("common word (rank 1-50)", () -> words[random.nextInt(50)]);
        kinds.put("two words (ranks 50-1000)", () -> words[50 + random.nextInt(950)] + " "
                + words[50 + random.nextInt(950)]);
        kinds.put("phrase of two common words", () -> "\"" + words[random.nextInt(20)] + " "
                + words[random.nextInt(20)] + "\"");
        List<Double> all = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-30s %9s %9s %9s %12s%n", "query (first page of 20)", "p50 ms", "p99 ms",
                "max ms", "mean total");
        for (Map.Entry<String, Supplier<String>> kind : kinds.entrySet()) {
            double[] times = new double[MEASURED];
            long totals = 0;
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                SearchQuery query = SearchQuery.parse(kind.getValue().get(), "q");
                String owner = "owner-" + random.nextInt(OWNERS);
                long start = System.nanoTime();
                SearchPage<?> page = store.search().messages(owner, query, null, null, 20, 0);
                double ms = (System.nanoTime() - start) / 1e6;
                if (i >= WARM_UP) {
                    times[i - WARM_UP] = ms;
                    totals += page.total();
                    all.add(ms);
                }
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "%-30s %9.2f %9.2f %9.2f %12.0f%n", kind.getKey(), pct(times, 50),
                    pct(times, 99), times[times.length - 1], (double) totals / MEASURED);
        }
        double[] mix = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-30s %9.2f %9.2f %9.2f%n", "all of the above", pct(mix, 50), pct(mix, 99),
                mix[mix.length - 1]);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private String sentence(Random random) {
        int length = 10 + random.nextInt(51);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                text.append(i % 12 == 0 ? ". " : " ");
            }
            int rank = Arrays.binarySearch(cumulative, random.nextDouble());
            text.append(words[Math.min(VOCABULARY - 1, rank < 0 ? -rank - 1 : rank)]);
        }
        return text.append('.').toString();
    }

    private static String word(Random random) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        StringBuilder w = new StringBuilder();
        for (int i = 0, n = 3 + random.nextInt(7); i < n; i++) {
            w.append(letters.charAt(random.nextInt(letters.length())));
        }
        return w.toString();
    }
}
