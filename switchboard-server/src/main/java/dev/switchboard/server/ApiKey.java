package dev.switchboard.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * presented keys are compared in constant time.
 */
public final class ApiKey {

    /** How the key came to be, which decides whether it may guard a non-loopback address. */
    public enum Origin { ENVIRONMENT, STORED, GENERATED }

    private final byte[] hash;
    private final Origin origin;
    private final String shownOnce;

    private ApiKey(byte[] hash, Origin origin, String shownOnce) {
        this.hash = hash;
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
            return new ApiKey(sha256(fromEnv.strip()), Origin.ENVIRONMENT, null);
        }
        try {
            if (Files.exists(hashFile)) {
                return new ApiKey(HexFormat.of().parseHex(Files.readString(hashFile).strip()), Origin.STORED, null);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = "sb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            byte[] hash = sha256(key);
            Files.createDirectories(hashFile.getParent());
            Files.writeString(hashFile, HexFormat.of().formatHex(hash) + "\n", StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(hashFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            return new ApiKey(hash, Origin.GENERATED, key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or store the API key hash at " + hashFile, e);
        }
    }

    /** Whether the presented key is this one; constant time in the key's content. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    public Origin origin() {
        return origin;
    }

    /** The plain key, only right after it was generated; null otherwise. */
    public String shownOnce() {
        return shownOnce;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
