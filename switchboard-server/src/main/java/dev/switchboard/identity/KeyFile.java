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
                byte[] key = Secrets.bytes(size);
                try {
                    createOwnerOnly(file, Base64.getEncoder().encodeToString(key) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    return read(file, size);
                }
                return key;
            }
            return read(file, size);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the key file " + file, e);
        }
    }

    /**
     * Writes a new file only its owner may read (mode 0600, in a folder created with mode 0700 when missing).
     *
     * @throws FileAlreadyExistsException when the file exists: a key is never written over another
     */
    public static void createOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(dir);
            }
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content, java.nio.charset.StandardCharsets.US_ASCII);
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
