package dev.switchboard.event;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds or creates the live event stream of each session, forgetting the least recently used idle ones. */
public final class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final int replayBufferSize;
    private final int maxIdleSessions;
    private final SessionEvents.SeqAllocator allocator;
    private final Clock clock;
    private final LinkedHashMap<String, SessionEvents> sessions = new LinkedHashMap<>(64, 0.75f, true);
    private final List<Consumer<Event>> taps = new CopyOnWriteArrayList<>();

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
            events = new SessionEvents(sessionId, replayBufferSize, allocator, clock, this::deliverToTaps);
            sessions.put(sessionId, events);
            evictIdle();
        }
        return events;
    }

    /** Publishes a session-level or run event. */
    public Event publish(String sessionId, String runId, EventPayload payload) {
        return of(sessionId).publish(runId, payload);
    }

    /**
     * Sees every event of every session as it is published: for what follows all sessions at once (the
     * realtime faces, per-agent event rings, hooks). A tap runs on the publishing thread under the session's
     * lock, so it must be quick and must not block; it sees each session's events in seq order. A failing tap is
     * logged and never reaches the run.
     *
     * @return closing it removes the tap
     */
    public AutoCloseable tap(Consumer<Event> listener) {
        taps.add(listener);
        return () -> taps.remove(listener);
    }

    private void deliverToTaps(Event event) {
        for (Consumer<Event> listener : taps) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("An event tap failed on {} of session {}: {}", event.name(), event.sessionId(), e.toString());
            }
        }
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
