package dev.switchboard.server;

import dev.switchboard.identity.KeyFile;
import dev.switchboard.vault.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the vault's master key comes from: {@code SWITCHBOARD_MASTER_KEY} (base64 of 32 bytes) when set, else the
 * key file {@code <home>/secrets/master.key}, created with mode 0600 on the vault's first start. A key file is never
 * created over a vault that already holds data: a lost key is reported, not silently replaced.
 */
public final class MasterKeySource {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeySource.class);
    static final String VARIABLE = "SWITCHBOARD_MASTER_KEY";

    /** The key and where it came from ({@code SWITCHBOARD_MASTER_KEY} or the file's path), for messages. */
    public record Loaded(MasterKey key, String source, boolean fromEnvironment) {
    }

    private MasterKeySource() {
    }

    /**
     * Loads the key.
     *
     * @param keyCheck the check value the database holds, empty before the vault's first start
     * @throws IllegalStateException when the variable is malformed, or the file is missing over existing data
     */
    public static Loaded load(Path file, Map<String, String> env, Optional<String> keyCheck) {
        String fromEnv = env.get(VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Loaded(parse(fromEnv, VARIABLE), VARIABLE, true);
        }
        try {
            if (Files.exists(file)) {
                MasterKey key = read(file);
                Path pending = pendingFile(file);
                if (Files.exists(pending) && keyCheck.isPresent() && !key.opens(keyCheck.get())) {
                    // a rotation committed the database but stopped before it could move the new key into place
                    MasterKey next = read(pending);
                    if (next.opens(keyCheck.get())) {
                        Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        LOG.info("Finished an interrupted master key rotation: {} now holds the new key", file);
                        return new Loaded(next, file.toString(), false);
                    }
                } else if (Files.exists(pending) && keyCheck.isPresent()) {
                    // a rotation that never committed: its key opens nothing
                    Files.delete(pending);
                }
                warnIfOpen(file);
                return new Loaded(key, file.toString(), false);
            }
            if (keyCheck.isPresent()) {
                throw new IllegalStateException("The vault holds secrets sealed with a master key, but neither "
                        + VARIABLE + " is set nor " + file + " exists. Restore the key file (or set " + VARIABLE
                        + "); a new key would not open the stored secrets. Nothing was written.");
            }
            MasterKey key = MasterKey.generate();
            writeKey(file, key, false);
            LOG.info("Created the vault's master key in {} (keep a copy apart from the data folder)", file);
            return new Loaded(key, file.toString(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the vault's master key at " + file, e);
        }
    }

    /** Where a rotation keeps the new key until the database has been re-wrapped under it. */
    static Path pendingFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".next");
    }

    /** Reads {@code SWITCHBOARD_NEW_MASTER_KEY}-style text, naming the source on error (never the text). */
    static MasterKey parse(String text, String source) {
        try {
            return MasterKey.fromBase64(text, source);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    private static MasterKey read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.US_ASCII), "The master key file " + file);
    }

    /** Writes the key readable by the owner only, from the moment the file exists. */
    static void writeKey(Path file, MasterKey key, boolean replace) throws IOException {
        if (replace) {
            Files.deleteIfExists(file);
        }
        try {
            KeyFile.createOwnerOnly(file, key.toBase64() + "\n");
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("The master key file " + file + " appeared while it was being created");
        }
    }

    private static void warnIfOpen(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warn("The master key file {} can be read by other users; run: chmod 600 {}", file, file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
