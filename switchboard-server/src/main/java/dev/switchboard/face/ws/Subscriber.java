package dev.switchboard.face.ws;

import dev.switchboard.event.Event;
import dev.switchboard.user.Principal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * One open {@code /ws} connection: who it is, what it subscribed to, what it was last sent of each session (so a
 * replay never repeats a live event), its message allowance and its outbound queue. Kept small: a server holds
 * thousands of them.
 *
 * <p>Sending never touches the socket on the caller's thread (often a run publishing its events under the session's
 * lock): a frame joins the connection's queue, and a virtual thread, started when the queue goes from empty to not
 * empty, hands everything queued to the socket at once (Jetty gathers it into few writes) and waits for it to be
 * written before taking the next batch. A client that does not read lets its queue grow; past {@code maxQueued}
 * frames the connection is closed (1008) and what was queued is dropped, so one slow client costs a bounded amount of
 * memory and never slows the others.
 *
 * <p>What an idle connection holds here is a few fields and an empty queue: the channel set is a shared empty set until
 * the first subscribe, the per-session memory of what was sent is made on the first event, the queue's counter is a
 * plain field, and frames are shared, already encoded, by every connection they go to ({@link TextFrame}).
 */
final class Subscriber {

    /** Sessions whose last sent seq is remembered; beyond it the oldest are forgotten (a replay may then repeat). */
    private static final int REMEMBERED_SESSIONS = 64;

    /** The close code for a client too slow to keep up: RFC 6455's policy violation. */
    static final int TOO_SLOW = 1008;

    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(Subscriber.class, "queued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Principal principal;
    private final Outlet outlet;
    private final int maxQueued;
    private final ConcurrentLinkedQueue<Object> outbound = new ConcurrentLinkedQueue<>();
    /**
     * Frames queued and not yet handed to the socket; the thread that raises it from 0 starts the drain. A field
     * updated through {@link #QUEUED} rather than an {@code AtomicInteger}: one object less per connection.
     */
    private volatile int queued;
    private volatile boolean dropped;
    private volatile Set<Channel> channels = Set.of();
    private Map<String, Long> lastSent;
    private long windowStart;
    private int inWindow;

    Subscriber(Outlet outlet, Principal principal, int maxQueued) {
        this.outlet = outlet;
        this.principal = principal;
        this.maxQueued = maxQueued;
    }

    boolean wants(Channel channel) {
        return channels.contains(channel);
    }

    synchronized Set<Channel> subscribe(Set<Channel> more) {
        EnumSet<Channel> next = channels.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(channels);
        next.addAll(more);
        channels = next;
        return next;
    }

    synchronized Set<Channel> unsubscribe(Set<Channel> less) {
        EnumSet<Channel> next = channels.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(channels);
        next.removeAll(less);
        channels = next;
        return next;
    }

    /** Sends a run's event unless this connection already has it (sent live, or by an earlier replay). */
    synchronized boolean sendEvent(Event event, TextFrame frame) {
        if (lastSent != null) {
            Long last = lastSent.get(event.sessionId());
            if (last != null && event.seq() <= last) {
                return false;
            }
        } else {
            lastSent = new LinkedHashMap<>(4, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > REMEMBERED_SESSIONS;
                }
            };
        }
        lastSent.put(event.sessionId(), event.seq());
        send(frame);
        return true;
    }

    /** A close queued behind the frames before it, so that they reach the client first. */
    private record Close(int code, String reason) {
    }

    /** Queues a frame for the socket; returns at once. */
    void send(String frame) {
        enqueue(TextFrame.of(frame));
    }

    /** Queues an already encoded frame, shared with other connections; returns at once. */
    void send(TextFrame frame) {
        enqueue(frame);
    }

    /** Closes the connection once the frames queued before are written. */
    void closeAfterQueued(int code, String reason) {
        enqueue(new Close(code, reason));
    }

    private void enqueue(Object item) {
        if (dropped) {
            return;
        }
        if (queued >= maxQueued) {
            drop();
            return;
        }
        // added before counted, so the drain never counts a frame it cannot poll yet
        outbound.add(item);
        if ((int) QUEUED.getAndAdd(this, 1) == 0) {
            Thread.ofVirtual().name("ws-out").start(this::drain);
        }
    }

    /** Hands every queued frame to the socket, waits until the last is written, and goes on until none is left. */
    private void drain() {
        int batch = queued;
        while (batch > 0) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            for (int i = 0; i < batch; i++) {
                Object item = outbound.poll();
                if (dropped || !outlet.isOpen()) {
                    // keep counting down, so that the queue empties and no drain is left running
                    continue;
                }
                if (item instanceof Close close) {
                    outlet.close(close.code(), close.reason());
                    written.complete(null);
                } else {
                    outlet.write((TextFrame) item, i == batch - 1 ? written : null);
                }
            }
            if (!dropped && outlet.isOpen()) {
                try {
                    written.get();
                } catch (ExecutionException e) {
                    // the connection failed or closed; its close handler forgets it
                    dropped = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    dropped = true;
                }
            }
            batch = (int) QUEUED.getAndAdd(this, -batch) - batch;
        }
    }

    /** The client has not read {@code maxQueued} frames: close it rather than hold ever more for it. */
    private void drop() {
        synchronized (this) {
            if (dropped) {
                return;
            }
            dropped = true;
        }
        outlet.close(TOO_SLOW, "too slow: more than " + maxQueued + " frames waiting to be sent");
    }

    /** Whether frames are still sent to this connection; false once it was dropped for being too slow. */
    boolean live() {
        return !dropped && outlet.isOpen();
    }

    /** Closes the connection. */
    void close(int code, String reason) {
        if (outlet.isOpen()) {
            outlet.close(code, reason);
        }
    }

    /** Counts one message against the allowance; false when the connection has used up this second's. */
    synchronized boolean admit(long nowMillis, int perSecond) {
        if (nowMillis - windowStart >= 1000) {
            windowStart = nowMillis;
            inWindow = 0;
        }
        return ++inWindow <= perSecond;
    }
}
