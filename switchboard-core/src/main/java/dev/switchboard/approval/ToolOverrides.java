package dev.switchboard.approval;

import java.util.Optional;

/**
 * Rulings set outside an agent's file, by an administrator (seed 002's skill permission overrides), which
 * {@link ToolPolicy} puts after the agent's {@code alwaysDeny} and before everything else.
 */
@FunctionalInterface
public interface ToolOverrides {

    /** No overrides: the agent's permissions alone decide. */
    ToolOverrides NONE = (agentId, toolName) -> Optional.empty();

    /** The override for the agent's tool, if any applies. */
    Optional<ToolPolicy.Ruling> ruling(String agentId, String toolName);
}
