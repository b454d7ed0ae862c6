package dev.switchboard.knowledge;

import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextSection;
import dev.switchboard.memory.Memories;
import dev.switchboard.memory.Memory;
import dev.switchboard.memory.MemoryFilter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The system-prompt sections memories and notes contribute to a run: memories relevant to the message, pinned
 * memories and the notes marked {@code context: auto}. A run sees the owner's shared memories and its own agent's.
 */
public final class KnowledgeContext {

    /** Priorities: pinned memories are what the person asked to keep in view, so they outrank the rest. */
    public static final int PINNED_PRIORITY = 70;
    public static final int RELEVANT_PRIORITY = 60;
    public static final int NOTES_PRIORITY = 50;
    private static final int NOTE_TEXT = 2_000;

    private KnowledgeContext() {
    }

    /** Every section this package contributes. */
    public static List<ContextContributor> all(Memories memories, Notes notes) {
        return List.of(pinnedMemories(memories, 20), relevantMemories(memories, 5), autoNotes(notes, 10));
    }

    /** "Relevant memories": the {@code limit} memories that best match the run's message. */
    public static ContextContributor relevantMemories(Memories memories, int limit) {
        return request -> {
            if (request.userMessage() == null || request.userMessage().isBlank()
                    || !memories.hasAny(request.ownerId())) {
                return Optional.empty();
            }
            List<Memory> found = memories.search(request.ownerId(), request.userMessage(), MemoryFilter.ALL,
                    limit * 4).stream()
                    .filter(m -> !m.pinned() && visibleTo(m, request.agentId()))
                    .limit(limit)
                    .toList();
            return section("Relevant memories", found, RELEVANT_PRIORITY);
        };
    }

    /** "Pinned memories": every pinned memory the run's agent sees, most important first. */
    public static ContextContributor pinnedMemories(Memories memories, int limit) {
        return request -> {
            if (!memories.hasPinned(request.ownerId())) {
                return Optional.empty();
            }
            List<Memory> pinned = memories.list(request.ownerId(), null,
                    new MemoryFilter(null, List.of(), null, true), Memories.MAX_LIMIT, 0).stream()
                    .filter(m -> visibleTo(m, request.agentId()))
                    .sorted((a, b) -> Double.compare(b.importance(), a.importance()))
                    .limit(limit)
                    .toList();
            return section("Pinned memories", pinned, PINNED_PRIORITY);
        };
    }

    /** "Notes": the owner's {@code context: auto} notes, by their summary where they have one. */
    public static ContextContributor autoNotes(Notes notes, int limit) {
        return request -> {
            List<Note> auto = notes.automatic(request.ownerId(), limit);
            if (auto.isEmpty()) {
                return Optional.empty();
            }
            String text = auto.stream().map(n -> "## " + n.title() + "\n" + clipped(
                    n.summary() != null ? n.summary() : n.body())).collect(Collectors.joining("\n\n"));
            return Optional.of(new ContextSection("Notes", text, NOTES_PRIORITY));
        };
    }

    private static boolean visibleTo(Memory memory, String agentId) {
        return memory.agentId() == null || memory.agentId().equals(agentId);
    }

    private static Optional<ContextSection> section(String title, List<Memory> memories, int priority) {
        if (memories.isEmpty()) {
            return Optional.empty();
        }
        String text = memories.stream().map(m -> "- " + m.content().replace("\n", " "))
                .collect(Collectors.joining("\n"));
        return Optional.of(new ContextSection(title, text, priority));
    }

    private static String clipped(String text) {
        return text.length() <= NOTE_TEXT ? text : text.substring(0, NOTE_TEXT) + "…";
    }
}
