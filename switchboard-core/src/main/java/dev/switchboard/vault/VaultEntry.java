package dev.switchboard.vault;

import java.time.Instant;
import java.util.List;

/**
 * A stored secret as everyone but the agents that use it sees it: its metadata and a masked hint, never the value.
 *
 * @param hint the value masked for display, such as {@code sk-pr...xyz4}
 * @param allowedAgents the agent ids that may read it; empty means any agent
 * @param allowedTools the consumers that may read it ({@code llm}, {@code mcp__<server>}, a tool name; {@code *} is
 *     a wildcard); empty means any
 * @param expiresAt after this, reads are refused; null for never
 * @param version 1 when stored, plus one for every rotation
 * @param rotatedAt when the value was last replaced; null if never
 */
public record VaultEntry(
        String id,
        String ownerId,
        String name,
        String description,
        String hint,
        List<String> allowedAgents,
        List<String> allowedTools,
        Instant expiresAt,
        int version,
        Instant createdAt,
        Instant updatedAt,
        Instant rotatedAt) {

    public VaultEntry {
        allowedAgents = allowedAgents == null ? List.of() : List.copyOf(allowedAgents);
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
