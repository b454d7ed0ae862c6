package dev.switchboard.face.ws;

import dev.switchboard.event.Event;
import dev.switchboard.user.Principal;
import io.javalin.websocket.WsContext;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One open {@code /ws} connection: who it is, what it subscribed to, what it was last sent of each session (so a
 * replay never repeats a live event) and its message allowance. Kept small: a server holds thousands of them.
 */
final class Subscriber {

    /** Sessions whose last sent seq is remembered; beyond it the oldest are forgotten (a replay may then repeat). */
    private static final int REMEMBERED_SESSIONS = 64;

    final WsContext ctx;
    final Principal principal;
    private volatile Set<Channel> channels = EnumSet.noneOf(Channel.class);
    private Map<String, Long> lastSent;
    private long windowStart;
    private int inWindow;

    Subscriber(WsContext ctx, Principal principal) {
        this.ctx = ctx;
        this.principal = principal;
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
    synchronized boolean sendEvent(Event event, String frame) {
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

    /** Sends a frame; Jetty queues it without blocking the caller, which may be a run publishing its events. */
    void send(String frame) {
        if (ctx.session.isOpen()) {
            ctx.send(frame);
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
