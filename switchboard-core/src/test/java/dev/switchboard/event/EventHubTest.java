package dev.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventHubTest {

    private final AtomicLong nextBlock = new AtomicLong(1);
    private final EventHub hub = new EventHub(16, 4, (sessionId, size) -> nextBlock.getAndAdd(size),
            Clock.systemUTC());

    @Test
    void aTapSeesEverySessionsEventsInOrderUntilClosed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AutoCloseable tap = hub.tap(event -> seen.add(event.sessionId() + "#" + event.seq()));
        hub.publish("a", null, new EventPayload.TitleUpdated("one"));
        hub.publish("b", null, new EventPayload.TitleUpdated("two"));
        hub.publish("a", null, new EventPayload.TitleUpdated("three"));
        tap.close();
        hub.publish("a", null, new EventPayload.TitleUpdated("after"));

        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).startsWith("a#");
        assertThat(seen.get(1)).startsWith("b#");
        long first = Long.parseLong(seen.get(0).substring(2));
        assertThat(seen.get(2)).isEqualTo("a#" + (first + 1));
    }

    @Test
    void aFailingTapNeitherStopsThePublisherNorTheOtherTaps() {
        List<String> seen = new CopyOnWriteArrayList<>();
        hub.tap(event -> { throw new IllegalStateException("broken listener"); });
        hub.tap(event -> seen.add(event.name()));

        Event published = hub.publish("a", "run-1", new EventPayload.Thinking(1));

        assertThat(published.runId()).isEqualTo("run-1");
        assertThat(seen).containsExactly("llm:thinking");
    }
}
