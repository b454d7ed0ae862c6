package dev.switchboard.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map of per-client state (rate-limit buckets, failed sign-ins) that cannot grow without bound: it forgets an
 * entry once it has gone unused for the idle time, and beyond its capacity it forgets the least recently used one.
 * Choose the idle time so that a forgotten entry is as good as a fresh one (a bucket that has refilled).
 */
public final class ExpiringMap<K, V> {

    private record Entry<V>(V value, long lastUsed) {
    }

    private final int capacity;
    private final long idleMillis;
    private final Clock clock;
    // access order: the head is the entry used longest ago, so expired entries are found at the head
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

    public ExpiringMap(int capacity, Duration idleTime, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.idleMillis = idleTime.toMillis();
        this.clock = clock;
    }

    /** The value for {@code key}, created when absent or forgotten; either way it counts as used now. */
    public synchronized V use(K key, Function<? super K, ? extends V> create) {
        long now = clock.millis();
        evict(now);
        Entry<V> entry = entries.get(key);
        V value = entry == null ? create.apply(key) : entry.value();
        entries.put(key, new Entry<>(value, now));
        evict(now);
        return value;
    }

    /** The value for {@code key} without creating one; null when absent or forgotten. Counts as a use. */
    public synchronized V get(K key) {
        long now = clock.millis();
        evict(now);
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        entries.put(key, new Entry<>(entry.value(), now));
        return entry.value();
    }

    public synchronized void remove(K key) {
        entries.remove(key);
    }

    public synchronized int size() {
        evict(clock.millis());
        return entries.size();
    }

    private void evict(long now) {
        Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<K, Entry<V>> next = eldest.next();
            if (entries.size() > capacity || now - next.getValue().lastUsed() >= idleMillis) {
                eldest.remove();
            } else {
                return;
            }
        }
    }
}
