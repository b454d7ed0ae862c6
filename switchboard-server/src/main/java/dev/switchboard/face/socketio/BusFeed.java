package dev.switchboard.face.socketio;

import java.util.function.Consumer;

/** Where {@code bus:message} comes from: the agent-to-agent bus tells its listeners about each stored message. */
@FunctionalInterface
public interface BusFeed {

    /**
     * A message stored on the bus. {@code ownerId} is the user whose agents exchanged it (it reaches that user's
     * sockets and administrators'); null reaches administrators only. {@code body} is serialized as JSON as it is.
     */
    record Notice(String ownerId, Object body) {
    }

    /** Calls {@code listener} with every bus message stored from now on. */
    void onMessage(Consumer<Notice> listener);
}
