package dev.switchboard.knowledge;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retrieval engine of memories and notes: full-text matches and semantic neighbours, fused by reciprocal
 * rank. Texts are indexed at once and embedded later by a background worker, so a new entry is found by its words
 * immediately and by its meaning a moment later, and no request waits for the embedding model.
 */
public final class Retrieval implements AutoCloseable {

    /** The constant of reciprocal rank fusion: a document's score is the sum of 1 / (K + rank) over the lists. */
    static final int RRF_K = 60;
    /** How many candidates each list contributes to the fusion. */
    private static final int CANDIDATES = 50;
    /** Semantic neighbours less similar than this are noise, not matches (all-MiniLM-L6-v2 cosine). */
    static final double MIN_SIMILARITY = 0.25;
    private static final int BATCH = 32;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    /** Words that match nearly every text; SQLite's FTS5 keeps them, so they are dropped here for both databases. */
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "can",
            "did", "do", "does", "for", "from", "has", "have", "how", "i", "in", "is", "it", "its", "me", "my", "of",
            "on", "or", "our", "so", "that", "the", "their", "there", "this", "to", "was", "we", "were", "what",
            "when", "where", "which", "who", "why", "will", "with", "you", "your");
    private static final Logger LOG = LoggerFactory.getLogger(Retrieval.class);

    /** One ranked hit: the entry's id and its fused score. */
    public record Hit(String id, double score) {
    }

    /**
     * An owner's vectors of a kind as last loaded, and when the index last confirmed them ({@code checkedAt}, in
     * {@link System#nanoTime()} terms).
     */
    private record OwnerVectors(KnowledgeIndex.Stamp stamp, String[] ids, float[][] vectors, long checkedAt) {

        long floats() {
            long n = 0;
            for (float[] v : vectors) {
                n += v.length;
            }
            return n;
        }
    }

    /**
     * How long cached vectors are used without asking the index whether they changed. Writes through this engine
     * drop the owner's cached vectors at once; the check catches writes it did not see (another node's).
     */
    static final long REVALIDATE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Embedding this many entries in one pass counts as a bulk change, after which the index is optimized. */
    static final int BULK = 1_000;
    /** The most vector components kept in memory across owners (128 MiB of floats); least recently used go. */
    static final long MAX_CACHED_FLOATS = 32L << 20;

    private final KnowledgeIndex index;
    private final Embedder embedder;
    private final Clock clock;
    private final VectorCache cache = new VectorCache(MAX_CACHED_FLOATS);
    /** Counts writes, so that vectors loaded while one happened are not cached (they may predate it). */
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    private final Semaphore work = new Semaphore(0);
    private volatile boolean closed;
    private Thread worker;

    public Retrieval(KnowledgeIndex index, Embedder embedder, Clock clock) {
        this.index = index;
        this.embedder = embedder;
        this.clock = clock;
    }

    /** Starts the embedding worker, which first embeds whatever an earlier run left without a vector. */
    public synchronized Retrieval start() {
        if (worker == null) {
            worker = Thread.ofVirtual().name("embedding-worker").start(this::embedLoop);
            work.release();
        }
        return this;
    }

    /** Indexes an entry's text (again); searchable by its words at once. */
    public void put(KnowledgeKind kind, String id, String ownerId, String text) {
        index.put(kind, id, ownerId, text, clock.instant());
        changed(kind, ownerId);
        work.release();
    }

    /** Removes the owner's entry from the index. */
    public void remove(KnowledgeKind kind, String id, String ownerId) {
        index.remove(kind, id);
        changed(kind, ownerId);
    }

    /** Removes an entry whose owner the caller does not know: every owner's cached vectors of the kind go. */
    public void remove(KnowledgeKind kind, String id) {
        index.remove(kind, id);
        writes.incrementAndGet();
        cache.removeKind(kind.key());
    }

    private void changed(KnowledgeKind kind, String ownerId) {
        writes.incrementAndGet();
        cache.remove(key(kind, ownerId));
    }

    private static String key(KnowledgeKind kind, String ownerId) {
        return kind.key() + '\u0000' + ownerId;
    }

    /** The owner's entries of {@code kind} best matching {@code query}, best first, at most {@code limit}. */
    public List<Hit> search(KnowledgeKind kind, String ownerId, String query, int limit) {
        Map<String, Double> scores = new HashMap<>();
        List<String> words = words(query);
        if (!words.isEmpty()) {
            fuse(scores, index.matchText(kind, ownerId, words, CANDIDATES));
        }
        if (query != null && !query.isBlank()) {
            fuse(scores, nearest(kind, ownerId, query, CANDIDATES));
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> new Hit(e.getKey(), e.getValue()))
                .toList();
    }

    /** Waits until every indexed text has its vector, or the time is up; for tests and benchmarks. */
    public boolean awaitEmbedded(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            if (index.unembedded(embedder.model(), 1).isEmpty()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static void fuse(Map<String, Double> scores, List<String> ranked) {
        for (int rank = 0; rank < ranked.size(); rank++) {
            scores.merge(ranked.get(rank), 1.0 / (RRF_K + rank + 1), Double::sum);
        }
    }

    /** The query's words worth matching: lower-cased, stop words dropped, each once. */
    static List<String> words(String query) {
        if (query == null) {
            return List.of();
        }
        Set<String> words = new LinkedHashSet<>();
        Matcher m = WORD.matcher(query.toLowerCase(Locale.ROOT));
        while (m.find() && words.size() < 32) {
            if (!STOP_WORDS.contains(m.group())) {
                words.add(m.group());
            }
        }
        return List.copyOf(words);
    }

    private List<String> nearest(KnowledgeKind kind, String ownerId, String query, int limit) {
        OwnerVectors owned = vectorsOf(kind, ownerId);
        if (owned.ids.length == 0) {
            return List.of();
        }
        float[] q;
        try {
            q = normalized(embedder.embed(List.of(query)).getFirst());
        } catch (RuntimeException e) {
            // a remote embedding endpoint that is down costs the search its semantic half, not the whole search
            LOG.warn("Embedding a query failed; searching by words only: {}", e.getMessage());
            return List.of();
        }
        int n = owned.ids.length;
        // a bounded selection of the best {@code limit}, no boxing or full sort: this loop is most of a search
        int[] best = new int[limit];
        float[] bestScore = new float[limit];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            float[] v = owned.vectors[i];
            float dot = 0;
            for (int d = 0, dims = Math.min(v.length, q.length); d < dims; d++) {
                dot += v[d] * q[d];
            }
            if (dot < MIN_SIMILARITY || (kept == limit && dot <= bestScore[kept - 1])) {
                continue;
            }
            int at = kept == limit ? kept - 1 : kept++;
            while (at > 0 && bestScore[at - 1] < dot) {
                best[at] = best[at - 1];
                bestScore[at] = bestScore[at - 1];
                at--;
            }
            best[at] = i;
            bestScore[at] = dot;
        }
        List<String> ids = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            ids.add(owned.ids[best[i]]);
        }
        return ids;
    }

    /**
     * The owner's vectors, kept in memory: dropped by every write through this engine, and otherwise confirmed
     * against the index's stamp at most every {@link #REVALIDATE_NANOS}, so a search normally reads nothing.
     */
    private OwnerVectors vectorsOf(KnowledgeKind kind, String ownerId) {
        String key = key(kind, ownerId);
        long now = System.nanoTime();
        OwnerVectors cached = cache.get(key);
        if (cached != null && now - cached.checkedAt() < REVALIDATE_NANOS) {
            return cached;
        }
        long before = writes.get();
        KnowledgeIndex.Stamp stamp = index.stamp(kind, ownerId, embedder.model());
        if (cached != null && cached.stamp().equals(stamp)) {
            OwnerVectors confirmed = new OwnerVectors(stamp, cached.ids(), cached.vectors(), now);
            if (writes.get() == before) {
                cache.put(key, confirmed);
            }
            return confirmed;
        }
        List<KnowledgeIndex.StoredVector> stored = index.vectors(kind, ownerId, embedder.model());
        String[] ids = new String[stored.size()];
        float[][] vectors = new float[stored.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = stored.get(i).id();
            vectors[i] = normalized(stored.get(i).vector());
        }
        OwnerVectors loaded = new OwnerVectors(stamp, ids, vectors, now);
        if (writes.get() == before) {
            cache.put(key, loaded);
        }
        return loaded;
    }

    /** Owners' vectors by kind and owner, least recently used first out once they pass a number of floats. */
    private static final class VectorCache {
        private final long maxFloats;
        private final java.util.LinkedHashMap<String, OwnerVectors> entries =
                new java.util.LinkedHashMap<>(16, 0.75f, true);
        private long floats;

        VectorCache(long maxFloats) {
            this.maxFloats = maxFloats;
        }

        synchronized OwnerVectors get(String key) {
            return entries.get(key);
        }

        synchronized void put(String key, OwnerVectors value) {
            OwnerVectors old = entries.put(key, value);
            floats += value.floats() - (old == null ? 0 : old.floats());
            var eldest = entries.entrySet().iterator();
            while (floats > maxFloats && eldest.hasNext()) {
                var entry = eldest.next();
                if (entry.getValue() == value) {
                    // one owner bigger than the whole budget is still served, just not kept beside others
                    continue;
                }
                floats -= entry.getValue().floats();
                eldest.remove();
            }
        }

        synchronized void remove(String key) {
            OwnerVectors old = entries.remove(key);
            if (old != null) {
                floats -= old.floats();
            }
        }

        synchronized void removeKind(String kind) {
            var it = entries.entrySet().iterator();
            while (it.hasNext()) {
                var entry = it.next();
                if (entry.getKey().startsWith(kind + '\u0000')) {
                    floats -= entry.getValue().floats();
                    it.remove();
                }
            }
        }
    }

    static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    private void embedLoop() {
        while (!closed) {
            try {
                work.tryAcquire(30, TimeUnit.SECONDS);
                work.drainPermits();
                embedPending();
            } catch (InterruptedException e) {
                return;
            } catch (LinkageError e) {
                // the embedding model's classes or native library are missing: nothing will be embedded until a
                // restart with them, while full-text search goes on working
                LOG.error("The embedding model cannot load; search falls back to full text only", e);
                return;
            } catch (RuntimeException e) {
                // a provider outage must not end the worker: the rows stay pending and are tried again later
                LOG.warn("Embedding failed; will retry: {}", e.getMessage());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void embedPending() {
        String model = embedder.model();
        List<KnowledgeIndex.Pending> batch;
        int embedded = 0;
        while (!closed && !(batch = index.unembedded(model, BATCH)).isEmpty()) {
            List<float[]> vectors = embedder.embed(batch.stream().map(KnowledgeIndex.Pending::text).toList());
            for (int i = 0; i < batch.size(); i++) {
                KnowledgeIndex.Pending entry = batch.get(i);
                index.storeVector(entry, vectors.get(i), model, clock.instant());
                changed(entry.kind(), entry.ownerId());
            }
            embedded += batch.size();
        }
        if (embedded >= BULK) {
            try {
                index.optimize();
            } catch (RuntimeException e) {
                LOG.warn("Optimizing the knowledge index after embedding {} entries failed: {}", embedded,
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread running;
        synchronized (this) {
            running = worker;
        }
        if (running != null) {
            // woken rather than interrupted, so a batch in flight finishes its database writes
            work.release();
            try {
                if (!running.join(java.time.Duration.ofSeconds(10))) {
                    running.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
