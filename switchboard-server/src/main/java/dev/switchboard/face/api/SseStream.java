package dev.switchboard.face.api;

import dev.switchboard.event.Event;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events response written straight to the socket, whatever the client's Accept header said.
 * Each event is {@code id: <seq>}, {@code event: <name>}, {@code data: <json>}.
 */
public final class SseStream implements AutoCloseable {

    private final OutputStream out;
    private final int keepAliveSeconds;
    private final java.util.function.Consumer<SseStream> onClose;
    private volatile boolean open = true;
    private volatile Thread pumping;

    private SseStream(OutputStream out, int keepAliveSeconds, java.util.function.Consumer<SseStream> onClose) {
        this.out = out;
        this.keepAliveSeconds = keepAliveSeconds;
        this.onClose = onClose;
    }

    /** Sends the response headers at once, so the client sees the stream open before the first event. */
    static SseStream open(Context ctx, int keepAliveSeconds, java.util.function.Consumer<SseStream> onClose)
            throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        SseStream stream = new SseStream(out, keepAliveSeconds, onClose);
        stream.write(": stream open\n\n");
        return stream;
    }

    /** Writes one event; false once the client has gone. */
    public boolean send(Event event) {
        return write("id: " + event.seq() + "\nevent: " + event.name() + "\ndata: " + Json.write(Wire.event(event))
                + "\n\n");
    }

    /**
     * Writes the events from the queue that {@code include} accepts until {@code last} accepts one (written too)
     * or the client disconnects, with a keep-alive comment whenever the stream has been quiet for the interval.
     */
    public void pump(BlockingQueue<Event> queue, Predicate<Event> include, Predicate<Event> last) {
        pump(queue, include, last, this::send);
    }

    /**
     * Like {@link #pump(BlockingQueue, Predicate, Predicate)}, with each event written by {@code writer} (false once
     * the client has gone), for faces that project events onto their own wire format.
     */
    public void pump(BlockingQueue<Event> queue, Predicate<Event> include, Predicate<Event> last,
            Predicate<Event> writer) {
        pumping = Thread.currentThread();
        long quietSince = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
        while (open) {
            Event event;
            try {
                event = queue.poll(Math.max(0, interval - (System.nanoTime() - quietSince)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // ended by the server stopping
                return;
            }
            if (event == null) {
                write(": keep-alive\n\n");
                quietSince = System.nanoTime();
                continue;
            }
            if (!include.test(event)) {
                continue;
            }
            quietSince = System.nanoTime();
            if (!writer.test(event) || last.test(event)) {
                return;
            }
        }
    }

    /**
     * Writes one unnamed event of a single {@code data:} line, the framing OpenAI's streams use; false once the
     * client has gone.
     */
    public boolean data(String text) {
        return write("data: " + text + "\n\n");
    }

    public boolean isOpen() {
        return open;
    }

    /** Ends the stream from another thread, waking the handler that pumps it. */
    void end() {
        open = false;
        Thread thread = pumping;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        onClose.accept(this);
    }

    private boolean write(String text) {
        if (!open) {
            return false;
        }
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            // the client went away; the run it watched goes on
            open = false;
            return false;
        }
    }
}
