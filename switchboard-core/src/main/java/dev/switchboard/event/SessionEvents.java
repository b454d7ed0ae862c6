package dev.switchboard.event;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live event stream of one session: assigns sequence numbers, keeps a bounded replay buffer
 * and fans events out to subscribers.
 */
public final class SessionEvents {

    /** Hands out blocks of sequence numbers that are never handed out again, even after a restart. */
    public interface SeqAllocator {
        /** Reserves {@code size} numbers and returns the first. */
        long reserve(String sessionId, int size);
    }

    private static final int SEQ_BLOCK = 1024;

    private final String sessionId;
    private final int bufferSize;
    private final SeqAllocator allocator;
    private final Clock clock;
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final Consumer<Event> tap;
    private long nextSeq;
    private long blockEnd;

    public SessionEvents(String sessionId, int bufferSize, SeqAllocator allocator, Clock clock) {
        this(sessionId, bufferSize, allocator, clock, event -> { });
    }

    /** @param tap sees every event of the session after its subscribers, in seq order (see {@link EventHub#tap}) */
    public SessionEvents(String sessionId, int bufferSize, SeqAllocator allocator, Clock clock, Consumer<Event> tap) {
        this.tap = tap;
        this.sessionId = sessionId;
        this.bufferSize = bufferSize;
        this.allocator = allocator;
        this.clock = clock;
    }

    /** Stamps the payload with the next sequence number, buffers it and delivers it to every subscriber. */
    public Event publish(String runId, EventPayload payload) {
        Event event;
        synchronized (this) {
            if (nextSeq >= blockEnd) {
                long first = allocator.reserve(sessionId, SEQ_BLOCK);
                blockEnd = first + SEQ_BLOCK;
                // numbering starts at 1, so that "after 0" means "from the beginning"
                nextSeq = Math.max(1, first);
            }
            event = new Event(sessionId, runId, nextSeq++, clock.instant(), payload);
            buffer.addLast(event);
            if (buffer.size() > bufferSize) {
                buffer.removeFirst();
            }
            // delivering under the lock keeps every subscriber's view in seq order
            for (Consumer<Event> subscriber : subscribers) {
                subscriber.accept(event);
            }
            tap.accept(event);
        }
        return event;
    }

    /**
     * Subscribes and, atomically with it, returns the buffered events after {@code afterSeq} (all of them
     * when negative), so that nothing falls between replay and live delivery.
     */
    public synchronized Subscription subscribe(long afterSeq, Consumer<Event> subscriber) {
        List<Event> missed = new ArrayList<>();
        if (afterSeq >= 0) {
            for (Event event : buffer) {
                if (event.seq() > afterSeq) {
                    missed.add(event);
                }
            }
        }
        subscribers.add(subscriber);
        return new Subscription(missed, () -> subscribers.remove(subscriber));
    }

    /** Whether anyone is listening now. */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Events still in the replay buffer. */
    public synchronized List<Event> buffered() {
        return List.copyOf(buffer);
    }

    /** What a subscriber gets back: the events it missed, and the handle to stop listening. */
    public record Subscription(List<Event> missed, Runnable cancel) implements AutoCloseable {
        @Override
        public void close() {
            cancel.run();
        }
    }
}
