package dev.switchboard.face.ws;

import java.util.concurrent.CompletableFuture;

/** Where one connection's frames go: the socket itself, or a stand-in in tests. */
interface Outlet {

    /**
     * Starts writing one text frame. {@code written}, when given, completes once it (and every frame before it) is
     * written or fails; a frame without one may wait in the connection's buffer for the next frame that has one.
     */
    void write(TextFrame frame, CompletableFuture<Void> written);

    boolean isOpen();

    /** Starts closing the connection with an RFC 6455 close code. */
    void close(int code, String reason);
}
