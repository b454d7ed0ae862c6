package dev.switchboard.event;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Finds or creates the live event stream of each session, forgetting the least recently used idle ones. */
public final class EventHub {

    private final int replayBufferSize;
    private final int maxIdleSessions;
    private final SessionEvents.SeqAllocator allocator;
    private final Clock clock;
    private final LinkedHashMap<String, SessionEvents> sessions = new LinkedHashMap<>(64, 0.75f, true);

    public EventHub(int replayBufferSize, int maxIdleSessions, SessionEvents.SeqAllocator allocator, Clock clock) {
        this.replayBufferSize = replayBufferSize;
        this.maxIdleSessions = maxIdleSessions;
        this.allocator = allocator;
        this.clock = clock;
    }

    /** The stream of the session, created on first use. */
    public synchronized SessionEvents of(String sessionId) {
        SessionEvents events = sessions.get(sessionId);
        if (events == null) {
            events = new SessionEvents(sessionId, replayBufferSize, allocator, clock);
            sessions.put(sessionId, events);
            evictIdle();
        }
        return events;
    }

    /** Publishes a session-level or run event. */
    public Event publish(String sessionId, String runId, EventPayload payload) {
        return of(sessionId).publish(runId, payload);
    }

    /** Drops a deleted session's stream. */
    public synchronized void forget(String sessionId) {
        sessions.remove(sessionId);
    }

    private void evictIdle() {
        Iterator<Map.Entry<String, SessionEvents>> oldestFirst = sessions.entrySet().iterator();
        while (sessions.size() > maxIdleSessions && oldestFirst.hasNext()) {
            if (!oldestFirst.next().getValue().hasSubscribers()) {
                oldestFirst.remove();
            }
        }
    }
}
