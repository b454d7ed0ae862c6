package dev.switchboard.vault;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** Where the vault keeps its sealed values, the owners' wrapped data keys and the master key's check value. */
public interface VaultStore {

    /** An entry with its sealed value. */
    record Sealed(VaultEntry entry, String value) {
    }

    /** The check value of the master key the data is sealed under; empty before the vault's first start. */
    Optional<String> keyCheck();

    /** Stores the first check value; false when one is there already (another node started first). */
    boolean initializeKeyCheck(String keyCheck, Instant now);

    /** The owner's data key, wrapped by the master key; empty until the owner stores a first value. */
    Optional<String> dataKey(String ownerId);

    /**
     * Stores the owner's first data key, but only while the stored check value is still {@code keyCheck}, so a key
     * wrapped under a master key that has since been replaced is never written.
     *
     * @return the owner's wrapped data key as stored: this one, or the one a concurrent call stored first
     * @throws IllegalStateException when the check value changed
     */
    String addDataKey(String ownerId, String wrapped, String keyCheck, Instant now);

    /** @throws dev.switchboard.failure.ConflictException when the owner has an entry of that name */
    void insert(VaultEntry entry, String sealedValue);

    Optional<VaultEntry> find(String ownerId, String id);

    Optional<Sealed> findByName(String ownerId, String name);

    /** The owner's entries, by name. */
    List<VaultEntry> list(String ownerId);

    /**
     * Replaces an entry's metadata (name, description, allowed agents and tools, expiry, update time).
     *
     * @return false when the entry is gone
     * @throws dev.switchboard.failure.ConflictException when the new name is another entry's
     */
    boolean update(VaultEntry entry);

    /**
     * Replaces the sealed value together with the version, hint and times, if the stored version is still
     * {@code expectedVersion}.
     *
     * @return false when the entry is gone or was rotated meanwhile
     */
    boolean replaceValue(VaultEntry entry, String sealedValue, int expectedVersion);

    boolean delete(String ownerId, String id);

    /**
     * Re-wraps every data key and replaces the check value, in one transaction.
     *
     * @param rewrap from an owner id and its wrapped key to the key wrapped anew
     * @return how many data keys were re-wrapped
     * @throws IllegalStateException when the stored check value is not {@code expectedKeyCheck}
     */
    int rewrapDataKeys(String expectedKeyCheck, String newKeyCheck, BiFunction<String, String, String> rewrap,
            Instant now);
}
