package dev.switchboard.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;

/** A random key kept in a file only its owner may read, created on first use. */
public final class KeyFile {

    private KeyFile() {
    }

    /** The key in {@code file} (base64), or a new one of {@code size} random bytes written there with mode 0600. */
    public static byte[] readOrCreate(Path file, int size) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] key = Secrets.bytes(size);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException raced) {
                    return read(file, size);
                }
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                return key;
            }
            return read(file, size);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the key file " + file, e);
        }
    }

    private static byte[] read(Path file, int size) throws IOException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The key file " + file + " is not base64; restore it from a backup");
        }
        if (key.length != size) {
            throw new IllegalStateException("The key file " + file + " holds " + key.length + " bytes, not " + size
                    + "; restore it from a backup");
        }
        if (Files.getFileStore(file).supportsFileAttributeView("posix")
                && !Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
                        .containsAll(Files.getPosixFilePermissions(file))) {
            throw new IllegalStateException("The key file " + file + " may be read by others; run chmod 600 on it");
        }
        return key;
    }
}
