package dev.switchboard.face.ws;

import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A connection's frames written to its Jetty WebSocket session, asynchronously. Frames go to Jetty's core session
 * as already encoded bytes: {@code Session.sendText(String)} would encode the same text to UTF-8 again for every
 * connection. A frame without a completion is batched (Jetty copies it into the connection's output buffer and
 * writes it with the next flushed frame), so a drained queue goes out in few writes.
 */
record SocketOutlet(Session session, CoreSession core) implements Outlet {

    static SocketOutlet of(Session session) {
        // Jetty's own implementation of the API session; its core session takes frames as bytes
        return new SocketOutlet(session, ((WebSocketSession) session).getCoreSession());
    }

    @Override
    public void write(TextFrame frame, CompletableFuture<Void> written) {
        core.sendFrame(new Frame(OpCode.TEXT, frame.payload()),
                written == null ? Callback.NOOP : Callback.from(() -> written.complete(null),
                        written::completeExceptionally),
                written == null);
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
}
