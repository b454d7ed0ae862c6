package dev.switchboard.vault;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** One owner's 256-bit key that seals that owner's values; stored only wrapped by the master key. */
final class DataKey {

    private final SecretKey key;

    DataKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    static DataKey generate() {
        return new DataKey(Aead.randomKey());
    }

    byte[] bytes() {
        return key.getEncoded();
    }

    /** Seals a value bound to its owner, entry and version: a sealed value moved or replayed elsewhere does not open. */
    String seal(String value, String ownerId, String entryId, int version) {
        return Aead.seal(key, value.getBytes(StandardCharsets.UTF_8), aad(ownerId, entryId, version));
    }

    /** @throws Aead.SealBroken when the sealed value does not belong to that owner, entry and version */
    String open(String sealed, String ownerId, String entryId, int version) {
        return new String(Aead.open(key, sealed, aad(ownerId, entryId, version)), StandardCharsets.UTF_8);
    }

    private static String aad(String ownerId, String entryId, int version) {
        return "switchboard/vault/value/v1\u0000" + ownerId + "\u0000" + entryId + "\u0000" + version;
    }

    @Override
    public String toString() {
        return "DataKey[***]";
    }
}
