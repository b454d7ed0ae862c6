package dev.switchboard.testkit;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the tests configure (API keys, model keys, passwords, vault values), so that a scan at the end of a
 * test run can prove that none of them reached a log line or an HTTP response. The fixed ones are listed here; a
 * test that makes up another one registers it: {@code String password = TestSecrets.register("...")}.
 */
public final class TestSecrets {

    /** Shorter strings would turn up by chance in unrelated text. */
    public static final int MIN_LENGTH = 8;

    /** The operator keys of the server tests and the model key in their agent files. */
    private static final Set<String> FIXED = Set.of(
            "test-key-0123456789",
            "mcp-test-key-0123456789",
            "test-llm-key");

    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    private TestSecrets() {
    }

    /** Adds a secret to the scan and returns it, to register where it is made up. */
    public static String register(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("A test secret needs at least " + MIN_LENGTH + " characters to be "
                    + "found without false alarms");
        }
        REGISTERED.add(secret);
        return secret;
    }

    /** The fixed secrets and those registered so far in this JVM. */
    public static Set<String> all() {
        Set<String> all = new TreeSet<>(FIXED);
        all.addAll(REGISTERED);
        return all;
    }

    /** A secret as a report may show it: its first three characters and its length, never the whole. */
    public static String hint(String secret) {
        return secret.substring(0, 3) + "… (" + secret.length() + " chars)";
    }
}
