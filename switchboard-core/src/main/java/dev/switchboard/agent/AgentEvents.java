package dev.switchboard.agent;

import dev.switchboard.event.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every agent's recent events (seed 002's {@code /api/agents/{id}/events}): fed by the event hub's tap, the last
 * {@code ringSize} of each agent stay in memory, and all are written to the store behind the scenes, where older ones
 * are read from.
 */
public final class AgentEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentEvents.class);
    private static final int SESSIONS_REMEMBERED = 10_000;

    /** One page of events after a cursor. */
    public record Page(List<AgentEvent> events, long nextCursor, boolean hasMore) {
    }

    private static final class Ring {
        final ArrayDeque<AgentEvent> events = new ArrayDeque<>();
        long lastSeq;
    }

    private final AgentEventStore store;
    private final Function<Event, String> encoder;
    private final int ringSize;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final Map<String, Long> storedSeqs;
    private final Map<String, AgentEventStore.SessionOwner> owners = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, AgentEventStore.SessionOwner> eldest) {
                    return size() > SESSIONS_REMEMBERED;
                }
            });
    private final BlockingQueue<AgentEvent> unwritten = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /** @param encoder an event as the faces show it, as JSON text */
    public AgentEvents(AgentEventStore store, Function<Event, String> encoder, int ringSize) {
        this.store = store;
        this.encoder = encoder;
        this.ringSize = ringSize;
        this.storedSeqs = new ConcurrentHashMap<>(store.lastSeqs());
        this.writer = Thread.ofVirtual().name("agent-events-writer").start(this::writeLoop);
    }

    /** Takes one event of any session; the tap of the event hub. */
    public void accept(Event event) {
        // streamed pieces of text stay out of the feed: llm:response carries the whole text, and encoding and storing
        // every chunk cost each run more than the rest of the feed together (measured, docs/benchmarks.md)
        if (event.payload() instanceof dev.switchboard.event.EventPayload.Chunk) {
            return;
        }
        AgentEventStore.SessionOwner owner = owners.get(event.sessionId());
        if (owner == null) {
            // once per session: an indexed lookup, remembered afterwards
            owner = store.ownerOf(event.sessionId()).orElse(null);
            if (owner == null) {
                return;
            }
            owners.put(event.sessionId(), owner);
        }
        String agentId = owner.agentId();
        Ring ring = rings.computeIfAbsent(agentId, id -> {
            Ring fresh = new Ring();
            fresh.lastSeq = storedSeqs.getOrDefault(id, 0L);
            return fresh;
        });
        AgentEvent stored;
        synchronized (ring) {
            stored = new AgentEvent(agentId, ++ring.lastSeq, owner.ownerId(), event.sessionId(), event.runId(),
                    event.name(), encoder.apply(event), event.timestamp());
            ring.events.addLast(stored);
            if (ring.events.size() > ringSize) {
                ring.events.removeFirst();
            }
        }
        unwritten.add(stored);
    }

    /**
     * The owner's events of the agent after {@code after}, oldest first: from the ring, and from the store for
     * those the ring no longer holds.
     */
    public Page page(String agentId, String ownerId, long after, int limit) {
        List<AgentEvent> fromRing = new ArrayList<>();
        long ringFirst = Long.MAX_VALUE;
        Ring ring = rings.get(agentId);
        if (ring != null) {
            synchronized (ring) {
                if (!ring.events.isEmpty()) {
                    ringFirst = ring.events.getFirst().seq();
                }
                for (AgentEvent event : ring.events) {
                    if (event.seq() > after && event.ownerId().equals(ownerId)) {
                        fromRing.add(event);
                        if (fromRing.size() > limit) {
                            break;
                        }
                    }
                }
            }
        }
        List<AgentEvent> page = new ArrayList<>();
        if (after + 1 < ringFirst) {
            flush();
            page.addAll(store.between(agentId, ownerId, after, ringFirst, limit + 1));
        }
        for (AgentEvent event : fromRing) {
            if (page.size() > limit) {
                break;
            }
            page.add(event);
        }
        boolean hasMore = page.size() > limit;
        List<AgentEvent> shown = hasMore ? page.subList(0, limit) : page;
        long next = shown.isEmpty() ? after : shown.getLast().seq();
        return new Page(List.copyOf(shown), next, hasMore);
    }

    /** Writes what is waiting, so that a read from the store sees every event that left the ring. */
    private synchronized void flush() {
        List<AgentEvent> batch = new ArrayList<>();
        unwritten.drainTo(batch);
        if (!batch.isEmpty()) {
            store.append(batch);
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                AgentEvent first = unwritten.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                synchronized (this) {
                    List<AgentEvent> batch = new ArrayList<>();
                    batch.add(first);
                    unwritten.drainTo(batch, 999);
                    store.append(batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("Could not store agents' events: {}", e.toString());
                }
            }
        }
    }

    /** Writes the events still waiting and stops the writer; call before the store closes. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(2000);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Could not store the last agents' events: {}", e.toString());
        }
    }
}
