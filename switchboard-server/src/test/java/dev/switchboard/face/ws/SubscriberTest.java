package dev.switchboard.face.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.user.Principal;
import dev.switchboard.user.Role;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A connection's outbound queue: sending never waits for the socket, and a client that stops reading is dropped. */
class SubscriberTest {

    /** A socket whose writes complete only when {@link #release} says so, as a client that stops reading. */
    private static final class StuckSocket implements Outlet {
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<TextFrame> frames = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean open = true;
        volatile int closeCode;
        volatile boolean stuck = true;

        @Override
        public void write(TextFrame frame, CompletableFuture<Void> done) {
            frames.add(frame);
            written.add(frame.text());
            if (done != null) {
                if (stuck) {
                    pending.add(done);
                } else {
                    done.complete(null);
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
            open = false;
            closed.countDown();
            pending.forEach(f -> f.completeExceptionally(new IllegalStateException("closed")));
        }

        void release() {
            stuck = false;
            pending.forEach(f -> f.complete(null));
        }
    }

    private static final Principal ALICE = new Principal("alice", Role.USER, "test", Principal.ALL_SCOPES);

    @Test
    void framesGoOutInOrderWithoutTheSenderWaitingForTheSocket() throws Exception {
        StuckSocket socket = new StuckSocket();
        Subscriber subscriber = new Subscriber(socket, ALICE, 100);
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            subscriber.send("frame " + i);
        }
        // the socket has not written one frame to completion, yet every send returned
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_000);
        socket.release();
        awaitWritten(socket, 50);
        assertThat(socket.written).containsExactlyElementsOf(
                IntStream.range(0, 50).mapToObj(i -> "frame " + i).toList());
        assertThat(subscriber.live()).isTrue();
        assertThat(socket.closeCode).isZero();
    }

    @Test
    void aClientThatStopsReadingIsClosedOnceItsQueueIsFullAndLaterFramesAreDropped() throws Exception {
        StuckSocket socket = new StuckSocket();
        Subscriber subscriber = new Subscriber(socket, ALICE, 10);
        subscriber.send("first");
        awaitWritten(socket, 1);
        // "first" is on the wire and never completes; ten more fill the queue, the eleventh overflows it
        for (int i = 0; i < 11; i++) {
            subscriber.send("more " + i);
        }
        assertThat(socket.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(socket.closeCode).isEqualTo(Subscriber.TOO_SLOW);
        assertThat(subscriber.live()).isFalse();
        subscriber.send("after");
        Thread.sleep(100);
        assertThat(socket.written).containsExactly("first");
    }

    @Test
    void aQueuedCloseFollowsTheFramesBeforeIt() throws Exception {
        StuckSocket socket = new StuckSocket();
        socket.release();
        Subscriber subscriber = new Subscriber(socket, ALICE, 100);
        subscriber.send("error frame");
        subscriber.closeAfterQueued(WsFace.POLICY_VIOLATION, "rate");
        assertThat(socket.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(socket.written).containsExactly("error frame");
        assertThat(socket.closeCode).isEqualTo(WsFace.POLICY_VIOLATION);
    }

    @Test
    void oneEncodedFrameIsSharedByEveryConnectionAndEachWriteReadsItsOwnView() throws Exception {
        StuckSocket first = new StuckSocket();
        StuckSocket second = new StuckSocket();
        first.release();
        second.release();
        TextFrame frame = TextFrame.of("{\"type\":\"event\",\"text\":\"h\u00e9llo \u2603\"}");
        new Subscriber(first, ALICE, 100).send(frame);
        new Subscriber(second, ALICE, 100).send(frame);
        awaitWritten(first, 1);
        awaitWritten(second, 1);
        assertThat(first.frames.getFirst()).isSameAs(second.frames.getFirst()).isSameAs(frame);
        // a socket consuming its view (as a write does) leaves the bytes whole for the next connection
        java.nio.ByteBuffer consumed = frame.payload();
        consumed.position(consumed.limit());
        assertThat(frame.payload().remaining()).isEqualTo("{\"type\":\"event\",\"text\":\"h\u00e9llo \u2603\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(second.written.getFirst()).isEqualTo("{\"type\":\"event\",\"text\":\"h\u00e9llo \u2603\"}");
        assertThat(frame.payload().isReadOnly()).isTrue();
    }

    private static void awaitWritten(StuckSocket socket, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (socket.written.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(socket.written).hasSize(count);
    }
}
