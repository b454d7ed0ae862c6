package dev.switchboard.run;

import dev.switchboard.content.ContentPart;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A user message waiting for its session's turn; stored, so it survives a restart.
 *
 * @param kind {@code default} or {@code background}
 */
public record QueuedMessage(String id, String sessionId, String ownerId, List<ContentPart> content, String kind,
        Instant queuedAt, Map<String, String> metadata) {

    public QueuedMessage {
        content = List.copyOf(content);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
