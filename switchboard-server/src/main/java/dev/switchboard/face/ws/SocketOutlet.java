package dev.switchboard.face.ws;

import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A connection's frames written to its Jetty WebSocket session, asynchronously. */
record SocketOutlet(Session session) implements Outlet {

    @Override
    public void write(String frame, CompletableFuture<Void> written) {
        session.sendText(frame, written == null ? Callback.NOOP
                : Callback.from(() -> written.complete(null), written::completeExceptionally));
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
