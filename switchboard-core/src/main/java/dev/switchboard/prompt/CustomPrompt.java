package dev.switchboard.prompt;

import java.time.Instant;
import java.util.List;

/**
 * A prompt template a user stored: text with {@code {{argument}}} placeholders and, optionally, one attached
 * resource kept in the blob store.
 *
 * @param resource the attachment, or null
 */
public record CustomPrompt(String ownerId, String name, String title, String description, String content,
        List<PromptArgument> arguments, Attachment resource, Instant createdAt) {

    public CustomPrompt {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    /** A file attached to a prompt. */
    public record Attachment(String blobId, String mimeType, String filename, long size) {
    }
}
