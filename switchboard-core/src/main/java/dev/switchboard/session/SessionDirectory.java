package dev.switchboard.session;

import dev.switchboard.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns a session and which agent it talks to, by the session's id alone, for the faces that follow every
 * session's events (WebSocket, Socket.IO) and deliver each event only to its owner. Neither fact ever changes, so
 * the answers are cached; the cache forgets the least recently used sessions beyond its capacity.
 */
public final class SessionDirectory {

    /** The two facts a realtime face needs about a session. */
    public record Entry(String ownerId, String agentId) {
    }

    private final Store store;
    private final Map<String, Entry> cache;

    public SessionDirectory(Store store, int capacity) {
        this.store = store;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionDirectory.Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The session's owner and agent; empty when no such session is stored (deleted, or never created). */
    public Optional<Entry> find(String sessionId) {
        synchronized (cache) {
            Entry known = cache.get(sessionId);
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<Entry> found = store.findSessionOfAnyOwner(sessionId).map(s -> new Entry(s.ownerId(), s.agentId()));
        found.ifPresent(entry -> {
            synchronized (cache) {
                cache.put(sessionId, entry);
            }
        });
        return found;
    }

    /** Records a session the caller has just created or loaded, sparing the store a lookup. */
    public void remember(Session session) {
        synchronized (cache) {
            cache.put(session.id(), new Entry(session.ownerId(), session.agentId()));
        }
    }
}
