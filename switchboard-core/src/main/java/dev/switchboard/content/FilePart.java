package dev.switchboard.content;

/** A file such as a PDF or audio clip, its bytes in the blob store under {@code blobId}. */
public record FilePart(String mimeType, String filename, String blobId) implements ContentPart {
}
