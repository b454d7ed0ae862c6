package dev.switchboard.server;

import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.user.Principal;
import dev.switchboard.vault.MasterKey;
import dev.switchboard.vault.Vault;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code switchboard vault rotate-master-key}: wraps every owner's data key under a new master key in one
 * transaction. Stored values are not touched (they are sealed with the data keys), so it takes as long as there are
 * owners, not values. Run it while the server is stopped.
 */
public final class MasterKeyRotation {

    /** The new key, when it must come from the operator (the current one comes from the environment). */
    static final String NEW_KEY_VARIABLE = "SWITCHBOARD_NEW_MASTER_KEY";

    private MasterKeyRotation() {
    }

    /**
     * With a key file: the new key is {@code SWITCHBOARD_NEW_MASTER_KEY} or a generated one; it is written beside the
     * file as {@code master.key.next} first, the database is re-wrapped, then the file is replaced, so that a crash
     * at any point leaves a key that opens the data (a start finishes an interrupted rotation). With
     * {@code SWITCHBOARD_MASTER_KEY}: the new key must be given in {@code SWITCHBOARD_NEW_MASTER_KEY}, since this
     * process cannot change the environment the server starts with; no key is ever printed.
     *
     * @return how many data keys were re-wrapped
     * @throws IllegalStateException when there is nothing to rotate or the keys given are unusable
     */
    public static int rotate(Home home, ServerConfig config, Map<String, String> env, PrintStream out) {
        ServerConfig.Database db = config.database();
        try (JdbcStore store = JdbcStore.open(Switchboard.databaseUrl(home, config), db.user(), db.password())) {
            Optional<String> check = store.vault().keyCheck();
            if (check.isEmpty()) {
                throw new IllegalStateException("The vault has not been used yet: there is no master key to rotate");
            }
            Path file = home.masterKeyFile();
            MasterKeySource.Loaded current = MasterKeySource.load(file, env, check);
            Vault vault = Vault.open(store.vault(), current.key(), current.source(), store.audit(),
                    Clock.systemUTC());
            String given = env.get(NEW_KEY_VARIABLE);
            if (current.fromEnvironment() && (given == null || given.isBlank())) {
                throw new IllegalStateException("The master key comes from " + MasterKeySource.VARIABLE + ": set "
                        + NEW_KEY_VARIABLE + " to the new key (for example 'openssl rand -base64 32') and run this "
                        + "again, then start the server with " + MasterKeySource.VARIABLE + " set to it");
            }
            MasterKey next = given == null || given.isBlank() ? MasterKey.generate()
                    : MasterKeySource.parse(given, NEW_KEY_VARIABLE);
            if (next.opens(check.get())) {
                throw new IllegalStateException(NEW_KEY_VARIABLE + " is the current master key");
            }
            if (current.fromEnvironment()) {
                int count = vault.rotateMasterKey(Principal.OPERATOR.userId(), next);
                out.println("Re-wrapped " + count + " data key(s) under the new master key. Start the server with "
                        + MasterKeySource.VARIABLE + " set to the value of " + NEW_KEY_VARIABLE
                        + "; the old key no longer opens anything.");
                return count;
            }
            Path pending = MasterKeySource.pendingFile(file);
            MasterKeySource.writeKey(pending, next, true);
            int count;
            try {
                count = vault.rotateMasterKey(Principal.OPERATOR.userId(), next);
            } catch (RuntimeException e) {
                Files.deleteIfExists(pending);
                throw e;
            }
            Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("Re-wrapped " + count + " data key(s) under a new master key, now in " + file
                    + ". Replace every copy of the old key file with it; the old key no longer opens anything.");
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the new master key beside " + home.masterKeyFile(), e);
        }
    }
}
