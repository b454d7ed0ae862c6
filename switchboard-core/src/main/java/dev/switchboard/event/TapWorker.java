package dev.switchboard.event;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes events from an {@link EventHub#tap} without blocking the publishing run, and hands them, in order, to a
 * handler on one virtual thread of its own. When the bounded queue is full, events are dropped and logged rather than
 * slowing the runs down.
 */
public final class TapWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TapWorker.class);

    private final String name;
    private final Consumer<Event> handler;
    private final BlockingQueue<Event> queue;
    private volatile boolean closed;
    private Thread thread;

    public TapWorker(String name, int capacity, Consumer<Event> handler) {
        this.name = name;
        this.handler = handler;
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    public TapWorker start() {
        thread = Thread.ofVirtual().name(name).start(this::drain);
        return this;
    }

    /** For the tap: queues the event and returns at once. */
    public void offer(Event event) {
        if (!closed && !queue.offer(event)) {
            LOG.warn("{}: queue full, dropped {} of session {}", name, event.name(), event.sessionId());
        }
    }

    private void drain() {
        while (!closed) {
            Event event;
            try {
                event = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                handler.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("{} could not handle {} of session {}: {}", name, event.name(), event.sessionId(),
                        e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
