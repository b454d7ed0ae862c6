package dev.switchboard.notification;

import java.time.Instant;
import java.util.Map;

/**
 * Something a user should know about, kept until they read it.
 *
 * @param type where it comes from: {@code hook}, {@code approval}, {@code schedule}, ...
 * @param data facts for the client, such as the approval or session it is about
 */
public record Notification(String id, String ownerId, String type, String title, String body,
        Map<String, String> data, boolean read, Instant createdAt) {

    public Notification {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
