package dev.switchboard.knowledge;

import java.time.Instant;
import java.util.List;

/**
 * A knowledge note a person keeps for their agents (seed 000): a titled text with a summary, tags and references.
 *
 * @param summary a short form of the body, used in the system prompt when present; null when none
 * @param references links or ids the note points to
 */
public record Note(
        String id,
        String ownerId,
        String title,
        String body,
        String summary,
        List<String> tags,
        NoteContext context,
        List<String> references,
        Instant createdAt,
        Instant updatedAt) {

    public Note {
        tags = List.copyOf(tags);
        references = List.copyOf(references);
    }
}
