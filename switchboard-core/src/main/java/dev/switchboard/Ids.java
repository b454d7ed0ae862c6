package dev.switchboard;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates the random ids of stored records, such as {@code msg_3f9c...}. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A new id: the prefix, an underscore and 24 random hex digits. */
    public static String next(String prefix) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + HexFormat.of().formatHex(bytes);
    }
}
