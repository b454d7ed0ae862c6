package dev.switchboard.face.mcp;

/**
 * Who calls a tool, and in which Switchboard session when the route named one.
 *
 * @param token the id of the caller's Switchboard session that {@code /mcp/{acpSessionToken}} names, or null
 */
record Caller(String ownerId, String token) {
}
