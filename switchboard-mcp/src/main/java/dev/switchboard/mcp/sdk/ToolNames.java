package dev.switchboard.mcp.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The names models see for MCP tools: {@code mcp__<server>__<tool>}, within what every provider accepts. */
final class ToolNames {

    /** The longest tool name the model providers accept. */
    static final int MAX_LENGTH = 64;

    private static final int HASH_LENGTH = 8;

    private ToolNames() {
    }

    /**
     * The namespaced name: characters outside {@code [A-Za-z0-9_-]} become {@code _}; a name longer than
     * {@value #MAX_LENGTH} keeps its start and ends with a short hash of the full name, so it stays stable and
     * distinct.
     */
    static String qualified(String server, String tool) {
        String full = "mcp__" + server + "__" + tool;
        String safe = full.replaceAll("[^A-Za-z0-9_-]", "_");
        if (safe.length() <= MAX_LENGTH) {
            return safe;
        }
        return safe.substring(0, MAX_LENGTH - HASH_LENGTH - 1) + "_" + hash(full);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
