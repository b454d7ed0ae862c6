package dev.switchboard.content;

/**
 * An image. Its bytes live in the blob store under {@code blobId}; {@code url} is set instead
 * when the client referenced a remote image.
 */
public record ImagePart(String mimeType, String blobId, String url) implements ContentPart {
}
