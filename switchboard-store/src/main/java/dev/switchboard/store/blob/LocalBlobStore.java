package dev.switchboard.store.blob;

import dev.switchboard.content.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** A {@link BlobStore} keeping each blob as one file, named by its id, in a local folder. */
public final class LocalBlobStore implements BlobStore {

    /** Ids are the lower-case UUIDs {@link #put} makes; anything else could name a path outside the folder. */
    private static final Pattern ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path directory;

    /** Keeps blobs in {@code directory}, creating it when missing. */
    public LocalBlobStore(Path directory) {
        try {
            this.directory = Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the blob folder " + directory, e);
        }
    }

    /** The mime type is not kept: the content parts that refer to a blob carry it. */
    @Override
    public String put(byte[] data, String mimeType) {
        String id = UUID.randomUUID().toString();
        Path temp = null;
        try {
            // a reader never sees half a blob: the bytes appear under the id only once complete
            temp = Files.createTempFile(directory, ".incoming-", ".tmp");
            Files.write(temp, data);
            Files.move(temp, directory.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("Cannot store a blob in " + directory, e);
        }
    }

    /** Empty for unknown ids and for strings that are not blob ids at all. */
    @Override
    public Optional<byte[]> get(String blobId) {
        if (blobId == null || !ID.matcher(blobId).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(directory.resolve(blobId)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read blob " + blobId, e);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the original failure is the one worth reporting
        }
    }
}
