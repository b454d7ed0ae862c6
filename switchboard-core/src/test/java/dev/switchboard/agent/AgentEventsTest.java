package dev.switchboard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.event.Event;
import dev.switchboard.event.EventPayload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentEventsTest {

    /** A store in memory, counting reads so that a test can tell the ring from the store. */
    static final class MemoryEventStore implements AgentEventStore {
        final List<AgentEvent> stored = new ArrayList<>();
        final Map<String, SessionOwner> sessions = new HashMap<>();
        int reads;

        @Override
        public synchronized void append(List<AgentEvent> events) {
            stored.addAll(events);
        }

        @Override
        public synchronized List<AgentEvent> between(String agentId, String ownerId, long after, long before,
                int limit) {
            reads++;
            return stored.stream().filter(e -> e.agentId().equals(agentId) && e.ownerId().equals(ownerId)
                    && e.seq() > after && e.seq() < before).sorted((a, b) -> Long.compare(a.seq(), b.seq()))
                    .limit(limit).toList();
        }

        @Override
        public synchronized Map<String, Long> lastSeqs() {
            Map<String, Long> last = new HashMap<>();
            stored.forEach(e -> last.merge(e.agentId(), e.seq(), Math::max));
            return last;
        }

        @Override
        public Optional<SessionOwner> ownerOf(String sessionId) {
            return Optional.ofNullable(sessions.get(sessionId));
        }
    }

    private static long sessionSeq;

    private static Event event(String sessionId, String text) {
        return new Event(sessionId, "run-1", ++sessionSeq, Instant.parse("2025-01-01T00:00:00Z"),
                new EventPayload.TitleUpdated(text));
    }

    @Test
    void streamedChunksStayOutOfTheFeedWhileTheWholeAnswerIsInIt() {
        MemoryEventStore store = new MemoryEventStore();
        store.sessions.put("s-bo", new AgentEventStore.SessionOwner("bo", "writer"));
        try (AgentEvents events = new AgentEvents(store, Event::name, 10)) {
            events.accept(new Event("s-bo", "run-1", ++sessionSeq, Instant.parse("2025-01-01T00:00:00Z"),
                    new EventPayload.Chunk("text", "Hel")));
            events.accept(event("s-bo", "Hello"));

            assertThat(events.page("writer", "bo", 0, 10).events()).extracting(AgentEvent::name)
                    .containsExactly("session:title-updated");
        }
    }

    @Test
    void recentEventsComeFromTheRingAndOlderOnesFromTheStore() {
        MemoryEventStore store = new MemoryEventStore();
        store.sessions.put("s-ann", new AgentEventStore.SessionOwner("ann", "writer"));
        store.sessions.put("s-ben", new AgentEventStore.SessionOwner("ben", "writer"));
        try (AgentEvents events = new AgentEvents(store, e -> "{\"name\":\"" + e.name() + "\"}", 3)) {
            for (int i = 1; i <= 5; i++) {
                events.accept(event("s-ann", "a" + i));
            }
            events.accept(event("s-ben", "b1"));
            events.accept(event("s-unknown", "nobody's"));

            // the ring holds seq 4..6; ann's newest, after 4, come from memory alone
            AgentEvents.Page recent = events.page("writer", "ann", 4, 10);
            assertThat(recent.events()).extracting(AgentEvent::seq).containsExactly(5L);
            assertThat(recent.hasMore()).isFalse();
            assertThat(recent.nextCursor()).isEqualTo(5);
            assertThat(store.reads).isZero();

            // from the start: seq 1..3 left the ring and are read from the store, then the ring follows
            AgentEvents.Page first = events.page("writer", "ann", 0, 2);
            assertThat(first.events()).extracting(AgentEvent::seq).containsExactly(1L, 2L);
            assertThat(first.hasMore()).isTrue();
            AgentEvents.Page rest = events.page("writer", "ann", first.nextCursor(), 10);
            assertThat(rest.events()).extracting(AgentEvent::seq).containsExactly(3L, 4L, 5L);
            assertThat(rest.hasMore()).isFalse();
            assertThat(store.reads).isPositive();

            assertThat(events.page("writer", "ben", 0, 10).events()).extracting(AgentEvent::seq).containsExactly(6L);
            assertThat(events.page("writer", "ann", 5, 10).events()).isEmpty();
            assertThat(events.page("writer", "ann", 5, 10).nextCursor()).isEqualTo(5);
            assertThat(events.page("nobody", "ann", 0, 10).events()).isEmpty();
        }
        // closing wrote everything, so a new instance numbers on from where this one stopped
        assertThat(store.stored).hasSize(6);
        try (AgentEvents again = new AgentEvents(store, e -> "{}", 3)) {
            again.accept(event("s-ann", "after restart"));
            assertThat(again.page("writer", "ann", 6, 10).events()).extracting(AgentEvent::seq).containsExactly(7L);
        }
    }
}
