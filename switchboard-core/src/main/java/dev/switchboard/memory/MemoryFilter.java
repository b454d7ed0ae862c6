package dev.switchboard.memory;

import java.util.List;

/**
 * Which of an owner's memories a listing or a search keeps; null fields do not filter.
 *
 * @param agentId only this agent's memories
 * @param tags memories carrying at least one of these tags (empty: any)
 */
public record MemoryFilter(String agentId, List<String> tags, MemorySource source, Boolean pinned) {

    public static final MemoryFilter ALL = new MemoryFilter(null, List.of(), null, null);

    public MemoryFilter {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Whether {@code memory} passes this filter. */
    public boolean accepts(Memory memory) {
        return (agentId == null || agentId.equals(memory.agentId()))
                && (tags.isEmpty() || memory.tags().stream().anyMatch(tags::contains))
                && (source == null || source == memory.source())
                && (pinned == null || pinned == memory.pinned());
    }
}
