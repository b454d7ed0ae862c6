package dev.switchboard.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextRequest;
import dev.switchboard.context.ContextSection;
import dev.switchboard.knowledge.KnowledgeContext;
import dev.switchboard.knowledge.NoteContext;
import dev.switchboard.knowledge.Notes;
import dev.switchboard.knowledge.Retrieval;
import dev.switchboard.llm.langchain4j.LocalEmbedder;
import dev.switchboard.memory.Memories;
import dev.switchboard.memory.Memory;
import dev.switchboard.memory.MemoryFilter;
import dev.switchboard.memory.MemorySource;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory_save and memory_search act for the run's owner and agent; the context sections show what a run sees. */
class MemoryToolsTest {

    @TempDir
    Path folder;

    JdbcStore store;
    Retrieval retrieval;
    Memories memories;
    Notes notes;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:sqlite:" + folder.resolve("test.db"));
        retrieval = new Retrieval(store.knowledgeIndex(), new LocalEmbedder(), Clock.systemUTC()).start();
        memories = new Memories(store.memories(), retrieval, Clock.systemUTC());
        notes = new Notes(store.notes(), retrieval, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        retrieval.close();
        store.close();
    }

    @Test
    void anAgentSavesAndFindsItsOwnersMemoriesOnly() throws Exception {
        List<Tool> tools = MemoryTools.all(() -> memories);
        Tool save = tools.get(0);
        Tool search = tools.get(1);
        ToolOutcome saved = save.execute("{\"content\":\"The user's cat is called Miso\",\"tags\":[\"pets\"]}",
                context("alice", "helper"));
        assertThat(saved.success()).as(saved.textForModel()).isTrue();
        Memory stored = memories.list("alice", null, MemoryFilter.ALL, 10, 0).getFirst();
        assertThat(stored.agentId()).isEqualTo("helper");
        assertThat(stored.source()).isEqualTo(MemorySource.SYSTEM);
        assertThat(stored.tags()).containsExactly("pets");
        memories.create("bob", new Memories.Draft(null, "Bob's cat is called Pepper", List.of(), null, null, null,
                null));

        assertThat(retrieval.awaitEmbedded(60_000)).isTrue();
        String found = search.execute("{\"query\":\"what is the name of my kitten\"}", context("alice", "helper"))
                .textForModel();
        assertThat(found).contains("Miso").doesNotContain("Pepper");
        // another agent of the same owner does not see the helper's own memory
        assertThat(search.execute("{\"query\":\"Miso\"}", context("alice", "other")).textForModel())
                .isEqualTo("No memories match.");
        ToolOutcome tooLong = save.execute("{\"content\":\"" + "x".repeat(10_001) + "\"}", context("alice", "helper"));
        assertThat(tooLong.success()).isFalse();
        assertThat(tooLong.error()).startsWith("content:");
    }

    @Test
    void runsSeePinnedAndRelevantMemoriesAndAutomaticNotes() throws Exception {
        memories.create("alice", new Memories.Draft(null, "Always answer in French", List.of(), null, true, null,
                0.9));
        memories.create("alice", new Memories.Draft(null, "Owns a sailing boat moored in Brest", List.of(), null,
                null, null, null));
        memories.create("alice", new Memories.Draft("other", "Private to another agent: sailing lessons on Tuesday",
                List.of(), null, null, null, null));
        memories.create("bob", new Memories.Draft(null, "Bob's boat is a kayak", List.of(), null, true, null, null));
        notes.create("alice", new Notes.Draft("House rules", "Long body", "No meetings on Fridays", List.of(),
                NoteContext.AUTO, List.of()));
        notes.create("alice", new Notes.Draft("Archive", "Old stuff", null, List.of(), NoteContext.SEARCH_ONLY,
                List.of()));
        assertThat(retrieval.awaitEmbedded(60_000)).isTrue();

        ContextRequest request = new ContextRequest("alice", "s1", "helper", "Where is my yacht kept?",
                Instant.now());
        List<Optional<ContextSection>> sections = KnowledgeContext.all(memories, notes).stream()
                .map((ContextContributor c) -> c.contribute(request)).toList();
        ContextSection pinned = sections.get(0).orElseThrow();
        ContextSection relevant = sections.get(1).orElseThrow();
        ContextSection autoNotes = sections.get(2).orElseThrow();
        assertThat(pinned.title()).isEqualTo("Pinned memories");
        assertThat(pinned.text()).contains("Always answer in French").doesNotContain("kayak");
        assertThat(relevant.title()).isEqualTo("Relevant memories");
        assertThat(relevant.text().lines().findFirst().orElseThrow()).contains("sailing boat moored in Brest");
        assertThat(relevant.text()).doesNotContain("Private to another agent").doesNotContain("kayak");
        assertThat(autoNotes.text()).contains("House rules").contains("No meetings on Fridays")
                .doesNotContain("Archive");
    }

    private static ToolContext context(String owner, String agent) {
        return new ToolContext(owner, agent, "s1", "r1", "c1", null, Path.of("."), null);
    }
}
