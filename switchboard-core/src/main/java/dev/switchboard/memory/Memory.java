package dev.switchboard.memory;

import java.time.Instant;
import java.util.List;

/**
 * One thing remembered for a person, optionally by one agent: a fact, a preference, a decision.
 *
 * @param agentId the agent the memory belongs to, or null for a memory every agent of the owner shares
 * @param category a free label such as {@code preference} (seed 003), or null
 * @param importance 0 to 1; higher memories are offered to the model first
 */
public record Memory(
        String id,
        String ownerId,
        String agentId,
        String content,
        List<String> tags,
        MemorySource source,
        boolean pinned,
        String category,
        double importance,
        Instant createdAt,
        Instant updatedAt) {

    public Memory {
        tags = List.copyOf(tags);
    }
}
