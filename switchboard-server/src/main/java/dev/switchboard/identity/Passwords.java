package dev.switchboard.identity;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import dev.switchboard.failure.InvalidInputException;
import java.nio.charset.StandardCharsets;

/**
 * Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane), and the password rules.
 */
public final class Passwords {

    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 256;
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
    /**
     * Verified against when the user does not exist, so that the answer takes as long as for a real user; made
     * on first need, not at start, where hashing would add its cost to the start-up time.
     */
    private volatile String decoy;

    public String hash(String password) {
        char[] chars = password.toCharArray();
        try {
            return argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, chars, StandardCharsets.UTF_8);
        } finally {
            argon2.wipeArray(chars);
        }
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such user) costs the same and fails. */
    public boolean verify(String hash, String password) {
        if (password == null) {
            return false;
        }
        char[] chars = password.toCharArray();
        try {
            boolean matches = argon2.verify(hash == null ? decoy() : hash, chars, StandardCharsets.UTF_8);
            return hash != null && matches;
        } finally {
            argon2.wipeArray(chars);
        }
    }

    private String decoy() {
        String made = decoy;
        if (made == null) {
            made = hash("not a password of anyone " + System.nanoTime());
            decoy = made;
        }
        return made;
    }

    /** Throws a 400 naming {@code field} unless the password is acceptable for {@code username}. */
    public static void check(String password, String username, String field) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new InvalidInputException(field, field + " must have at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, field + " must have at most " + MAX_LENGTH + " characters");
        }
        if (username != null && password.equalsIgnoreCase(username)) {
            throw new InvalidInputException(field, field + " must not be the username");
        }
    }
}
