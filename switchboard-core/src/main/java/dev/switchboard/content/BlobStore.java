package dev.switchboard.content;

import java.util.Optional;

/** Where binary content (images, files, audio) is kept; messages hold only blob ids. */
public interface BlobStore {

    /** Stores the bytes and returns their new id. */
    String put(byte[] data, String mimeType);

    /** The bytes stored under the id, if any. */
    Optional<byte[]> get(String blobId);
}
