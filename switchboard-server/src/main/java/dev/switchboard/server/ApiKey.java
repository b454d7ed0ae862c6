package dev.switchboard.server;

import dev.switchboard.failure.ConflictException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The operator's API key. Only its SHA-256 is kept (the key is 256 random bits, so a slow hash adds nothing);
 * presented keys are compared in constant time. The key can be rotated while the server runs: the old key stops
 * matching at the moment the new hash is stored.
 */
public final class ApiKey {

    /** How the key came to be, which decides whether it may guard a non-loopback address. */
    public enum Origin { ENVIRONMENT, STORED, GENERATED }

    // replaced whole on rotation, never modified in place, so readers need no lock
    private volatile byte[] hash;
    private final Origin origin;
    private final String shownOnce;
    private final Path hashFile;

    private ApiKey(byte[] hash, Origin origin, String shownOnce, Path hashFile) {
        this.hash = hash;
        this.hashFile = hashFile;
        this.origin = origin;
        this.shownOnce = shownOnce;
    }

    /**
     * {@code SWITCHBOARD_API_KEY} when set; else the stored hash; else a new key whose hash is stored and
     * which {@link #shownOnce()} returns for printing on the console.
     */
    public static ApiKey load(Path hashFile, Map<String, String> env) {
        String fromEnv = env.get("SWITCHBOARD_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ApiKey(sha256(fromEnv.strip()), Origin.ENVIRONMENT, null, null);
        }
        try {
            if (Files.exists(hashFile)) {
                return new ApiKey(HexFormat.of().parseHex(Files.readString(hashFile).strip()), Origin.STORED, null,
                        hashFile);
            }
            String key = newKey();
            byte[] hash = sha256(key);
            Files.createDirectories(hashFile.getParent());
            Files.writeString(hashFile, HexFormat.of().formatHex(hash) + "\n", StandardOpenOption.CREATE_NEW);
            ownerOnly(hashFile);
            return new ApiKey(hash, Origin.GENERATED, key, hashFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or store the API key hash at " + hashFile, e);
        }
    }

    /** Whether the presented key is this one; constant time in the key's content. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    /**
     * Replaces the key with a new random one and returns it; it is not kept anywhere but in the answer. The new
     * hash is written beside the file and moved over it, so a crash leaves either the old or the new hash whole.
     *
     * @throws ConflictException when the key comes from {@code SWITCHBOARD_API_KEY}: the environment the server
     *     starts with is not this process's to change, so a rotated key would not survive a restart
     */
    public synchronized String rotate() {
        if (origin == Origin.ENVIRONMENT) {
            throw new ConflictException("The API key comes from the SWITCHBOARD_API_KEY environment variable, which "
                    + "the server cannot change: set a new value there and restart the server, or remove the "
                    + "variable so that the server keeps the key's hash in its home and can rotate it",
                    Map.of("source", "environment", "variable", "SWITCHBOARD_API_KEY"));
        }
        String key = newKey();
        byte[] next = sha256(key);
        Path pending = hashFile.resolveSibling(hashFile.getFileName() + ".next");
        try {
            Files.deleteIfExists(pending);
            Files.writeString(pending, HexFormat.of().formatHex(next) + "\n", StandardOpenOption.CREATE_NEW);
            ownerOnly(pending);
            Files.move(pending, hashFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the new API key hash at " + hashFile, e);
        }
        hash = next;
        return key;
    }

    public Origin origin() {
        return origin;
    }

    /** The plain key, only right after it was generated; null otherwise. */
    public String shownOnce() {
        return shownOnce;
    }

    private static String newKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return "sb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
