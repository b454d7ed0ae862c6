package dev.switchboard.tool.builtin;

import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.memory.Memories;
import dev.switchboard.memory.Memory;
import dev.switchboard.memory.MemoryFilter;
import dev.switchboard.memory.MemorySource;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code memory_save} and {@code memory_search}: the agent keeps and finds memories of the person it works for, in
 * that person's store (the run's owner) and under its own agent id.
 */
public final class MemoryTools {

    private MemoryTools() {
    }

    /**
     * @param memories the memories, supplied late: tools are listed before the store has opened
     */
    public static List<Tool> all(Supplier<Memories> memories) {
        return List.of(new Save(memories), new Search(memories));
    }

    /** {@code memory_save}: remembers one fact. */
    static final class Save extends BuiltInTool {

        private final Supplier<Memories> memories;

        Save(Supplier<Memories> memories) {
            super("memory_save", ToolRisk.READS, """
                    Saves a memory about the user or their work that will help in later conversations: a fact, a \
                    preference, a decision. Keep each memory to one self-contained statement.""", """
                    {"type":"object","properties":{\
                    "content":{"type":"string","minLength":1,"maxLength":10000,"description":"the statement to remember"},\
                    "tags":{"type":"array","maxItems":10,"items":{"type":"string","minLength":1,"maxLength":50}},\
                    "category":{"type":"string","description":"such as preference, fact, decision"},\
                    "importance":{"type":"number","minimum":0,"maximum":1}},\
                    "required":["content"],"additionalProperties":false}""");
            this.memories = memories;
        }

        @Override
        ToolOutcome run(Arguments arguments, ToolContext context) {
            List<String> tags = new ArrayList<>();
            if (arguments.get("tags") != null) {
                arguments.get("tags").forEach(t -> tags.add(t.asText()));
            }
            Double importance = arguments.get("importance") == null ? null : arguments.get("importance").asDouble();
            try {
                Memory saved = memories.get().create(context.ownerId(), new Memories.Draft(context.agentId(),
                        arguments.requiredString("content"), tags, MemorySource.SYSTEM, false,
                        arguments.optionalString("category"), importance));
                return ToolOutcome.success("Saved memory " + saved.id() + ".");
            } catch (InvalidInputException e) {
                throw new ToolFailure(e.field() + ": " + e.getMessage());
            }
        }
    }

    /** {@code memory_search}: finds memories by meaning and by words. */
    static final class Search extends BuiltInTool {

        private final Supplier<Memories> memories;

        Search(Supplier<Memories> memories) {
            super("memory_search", ToolRisk.READS, """
                    Searches the memories saved about the user by meaning and by keywords, best match first.""", """
                    {"type":"object","properties":{\
                    "query":{"type":"string","minLength":1},\
                    "limit":{"type":"integer","minimum":1,"maximum":20}},\
                    "required":["query"],"additionalProperties":false}""");
            this.memories = memories;
        }

        @Override
        ToolOutcome run(Arguments arguments, ToolContext context) {
            int limit = arguments.optionalInt("limit", 5, 1, 20);
            List<Memory> found = memories.get().search(context.ownerId(), arguments.requiredString("query"),
                    MemoryFilter.ALL, limit * 4).stream()
                    .filter(m -> m.agentId() == null || m.agentId().equals(context.agentId()))
                    .limit(limit)
                    .toList();
            if (found.isEmpty()) {
                return ToolOutcome.success("No memories match.");
            }
            StringBuilder out = new StringBuilder();
            for (Memory memory : found) {
                out.append("- [").append(memory.id()).append("] ").append(memory.content().replace("\n", " "))
                        .append('\n');
            }
            return ToolOutcome.success(out.toString());
        }
    }
}
