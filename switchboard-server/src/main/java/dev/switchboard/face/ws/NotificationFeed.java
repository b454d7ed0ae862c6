package dev.switchboard.face.ws;

import java.util.function.Consumer;

/**
 * Where the {@code notifications} channel's messages come from: whatever creates a user's notifications tells its
 * listeners about each new one.
 */
@FunctionalInterface
public interface NotificationFeed {

    /** A notification just created for {@code ownerId}; {@code body} is serialized as JSON as it is. */
    record Notice(String ownerId, Object body) {
    }

    /** Calls {@code listener} with every notification created from now on. */
    void onCreated(Consumer<Notice> listener);
}
