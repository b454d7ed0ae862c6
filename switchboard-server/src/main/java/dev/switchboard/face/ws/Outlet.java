package dev.switchboard.face.ws;

import java.util.concurrent.CompletableFuture;

/** Where one connection's frames go: the socket itself, or a stand-in in tests. */
interface Outlet {

    /** Starts writing one text frame; {@code written}, when given, completes once it is written or fails. */
    void write(String frame, CompletableFuture<Void> written);

    boolean isOpen();

    /** Starts closing the connection with an RFC 6455 close code. */
    void close(int code, String reason);
}
