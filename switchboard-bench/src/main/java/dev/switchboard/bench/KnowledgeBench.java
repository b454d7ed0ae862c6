package dev.switchboard.bench;

import dev.switchboard.knowledge.Retrieval;
import dev.switchboard.llm.langchain4j.LocalEmbedder;
import dev.switchboard.memory.Memories;
import dev.switchboard.memory.MemoryFilter;
import dev.switchboard.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Memory search with embeddings over 10k memories of one owner: the retrieval engine and the store as the API uses
 * them (full text + all-MiniLM-L6-v2 query embedding + cosine over the owner's vectors, fused), timed per search.
 * Usage: {@code KnowledgeBench [jdbc-url [user]]}; a SQLite file in a temporary folder by default.
 */
public final class KnowledgeBench {

    private static final int MEMORIES = 10_000;
    private static final int WARM_UP = 100;
    private static final int SEARCHES = 1_000;
    private static final String[] SUBJECTS = {"The user", "Their manager", "The daughter", "A neighbour", "The team",
            "Their partner", "The landlord", "A colleague", "The doctor", "Grandmother"};
    private static final String[] VERBS = {"prefers", "dislikes", "often mentions", "is planning", "asked about",
            "recommended", "forgot", "booked", "bought", "is learning"};
    private static final String[] OBJECTS = {"dark roast coffee", "a trip to Lisbon", "the cello", "peanut-free "
            + "recipes", "a half marathon", "science fiction novels", "an electric car", "basil on the balcony",
            "the quarterly report", "window seats on flights", "Neovim themes", "a golden retriever puppy",
            "vegetarian restaurants", "the stand-up meeting", "a hardware password manager", "jazz concerts",
            "mountain hiking", "the tax return", "Spanish lessons", "a new laptop"};
    private static final String[] QUERIES = {"what pet does the user have", "music instrument practice", "coffee",
            "allergy food restrictions", "travel plans abroad", "Neovim", "work deadlines", "running race training",
            "what car do they drive", "books they like to read"};

    private KnowledgeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("switchboard-knowledge-bench");
        String url = args.length > 0 ? args[0] : "jdbc:sqlite:" + folder.resolve("bench.db");
        String user = args.length > 1 ? args[1] : null;
        Clock clock = Clock.systemUTC();
        Random random = new Random(42);
        try (JdbcStore store = JdbcStore.open(url, user, null);
                Retrieval retrieval = new Retrieval(store.knowledgeIndex(), new LocalEmbedder(), clock)) {
            Memories memories = new Memories(store.memories(), retrieval, clock);
            String owner = "bench-" + System.nanoTime();
            long start = System.nanoTime();
            for (int i = 0; i < MEMORIES; i++) {
                String content = SUBJECTS[random.nextInt(SUBJECTS.length)] + " " + VERBS[random.nextInt(VERBS.length)]
                        + " " + OBJECTS[random.nextInt(OBJECTS.length)] + " (note " + i + ", " + Long.toString(
                        random.nextLong() & 0xffffffL, 36) + ")";
                memories.create(owner, new Memories.Draft(null, content, List.of("t" + (i % 10)), null, null, null,
                        null));
            }
            System.out.printf("stored %d memories in %.1f s%n", MEMORIES, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            retrieval.start();
            if (!retrieval.awaitEmbedded(30 * 60_000)) {
                throw new IllegalStateException("embedding did not finish");
            }
            System.out.printf("embedded them in %.1f s%n", (System.nanoTime() - start) / 1e9);
            for (int i = 0; i < WARM_UP; i++) {
                memories.search(owner, QUERIES[i % QUERIES.length], MemoryFilter.ALL, 10);
            }
            long[] nanos = new long[SEARCHES];
            int found = 0;
            for (int i = 0; i < SEARCHES; i++) {
                // a query never seen before each time, so the embedding of the query is part of every search
                String query = QUERIES[i % QUERIES.length] + " " + i;
                long t = System.nanoTime();
                found += memories.search(owner, query, MemoryFilter.ALL, 10).size();
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            System.out.printf("memory search over %d memories (%s): p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                    + "%.1f hits per search%n", MEMORIES, url.startsWith("jdbc:sqlite:") ? "SQLite" : "PostgreSQL",
                    nanos[SEARCHES / 2] / 1e6, nanos[SEARCHES * 99 / 100] / 1e6, nanos[SEARCHES - 1] / 1e6,
                    found / (double) SEARCHES);
            // the part of a search that is the embedding model alone, for reading the figure above
            LocalEmbedder model = new LocalEmbedder();
            for (int i = 0; i < WARM_UP; i++) {
                model.embed(List.of(QUERIES[i % QUERIES.length]));
            }
            for (int i = 0; i < SEARCHES; i++) {
                long t = System.nanoTime();
                model.embed(List.of(QUERIES[i % QUERIES.length] + " " + i));
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            System.out.printf("of which embedding the query alone: p50 %.2f ms, p99 %.2f ms%n",
                    nanos[SEARCHES / 2] / 1e6, nanos[SEARCHES * 99 / 100] / 1e6);
        }
    }
}
