package dev.switchboard.vault;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that wraps every owner's data key. It never touches a stored value directly, so replacing it
 * re-wraps one small key per owner instead of re-encrypting every value.
 */
public final class MasterKey {

    private static final String KEY_CHECK_AAD = "switchboard/vault/key-check/v1";
    private static final byte[] KEY_CHECK_TEXT = "switchboard vault key check".getBytes(StandardCharsets.UTF_8);

    private final SecretKey key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** A new random key. */
    public static MasterKey generate() {
        return new MasterKey(Aead.randomKey());
    }

    /**
     * Reads a key written as base64 of 32 bytes.
     *
     * @param source where the text came from, named in the error (never the text itself)
     * @throws IllegalArgumentException when the text is not base64 of exactly 32 bytes
     */
    public static MasterKey fromBase64(String text, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text == null ? "" : text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not valid base64; it must be the base64 of 32 random "
                    + "bytes (for example the output of 'openssl rand -base64 32')");
        }
        if (bytes.length != Aead.KEY_BYTES) {
            throw new IllegalArgumentException(source + " decodes to " + bytes.length + " bytes; it must be the "
                    + "base64 of exactly 32 random bytes (for example the output of 'openssl rand -base64 32')");
        }
        return new MasterKey(bytes);
    }

    /** The key as base64, for writing it to its file. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** A value stored beside the data that only this key opens, so a wrong key is noticed before anything is written. */
    public String keyCheck() {
        return Aead.seal(key, KEY_CHECK_TEXT, KEY_CHECK_AAD);
    }

    /** Whether {@code keyCheck} was made by this key. */
    public boolean opens(String keyCheck) {
        try {
            return java.util.Arrays.equals(Aead.open(key, keyCheck, KEY_CHECK_AAD), KEY_CHECK_TEXT);
        } catch (Aead.SealBroken e) {
            return false;
        }
    }

    /** Seals a data key for its owner: the owner id is bound in, so the wrapped key cannot be moved to another. */
    String wrap(DataKey dataKey, String ownerId) {
        return Aead.seal(key, dataKey.bytes(), wrapAad(ownerId));
    }

    /** @throws Aead.SealBroken when the wrapped key is not this key's or not that owner's */
    DataKey unwrap(String wrapped, String ownerId) {
        return new DataKey(Aead.open(key, wrapped, wrapAad(ownerId)));
    }

    private static String wrapAad(String ownerId) {
        return "switchboard/vault/data-key/v1\u0000" + ownerId;
    }

    @Override
    public String toString() {
        return "MasterKey[***]";
    }
}
