package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.context.ContextAssembly;
import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextRequest;
import dev.switchboard.context.ContextSection;
import dev.switchboard.context.TokenCounter;
import dev.switchboard.memory.Memories;
import dev.switchboard.memory.MemoryStore;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.userprofile.PresenceCheckedProfiles;
import dev.switchboard.userprofile.UserFact;
import dev.switchboard.userprofile.UserProfileContributor;
import dev.switchboard.userprofile.UserProfileStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The knowledge contributors of a run's context ask the database nothing for an owner who has no memories, notes
 * or profile facts, once that is known, and see a write of theirs at once.
 */
class KnowledgeContextQueriesTest {

    @TempDir
    Path dir;

    private JdbcStore store;
    private Retrieval retrieval;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private Memories memories;
    private Notes notes;
    private UserProfileStore facts;
    private ContextAssembly assembly;

    @SuppressWarnings("unchecked")
    private <T> T counted(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            calls.add(type.getSimpleName() + "." + method.getName());
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("switchboard.db"));
        Embedder embedder = new Embedder() {
            @Override
            public String model() {
                return "counting";
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                calls.add("Embedder.embed");
                List<float[]> out = new ArrayList<>();
                texts.forEach(t -> out.add(new float[] {1, 0}));
                return out;
            }
        };
        retrieval = new Retrieval(counted(KnowledgeIndex.class, store.knowledgeIndex()), embedder,
                Clock.systemUTC());
        memories = new Memories(counted(MemoryStore.class, store.memories()), retrieval, Clock.systemUTC());
        notes = new Notes(counted(NoteStore.class, store.notes()), retrieval, Clock.systemUTC());
        facts = new PresenceCheckedProfiles(counted(UserProfileStore.class, store.userProfiles()));
        List<ContextContributor> contributors = new ArrayList<>(KnowledgeContext.all(memories, notes));
        contributors.add(new UserProfileContributor(facts));
        assembly = new ContextAssembly(contributors, TokenCounter.ESTIMATE, 2000);
    }

    @AfterEach
    void close() {
        retrieval.close();
        store.close();
    }

    private List<String> titles(String owner) {
        return assembly.sections(new ContextRequest(owner, "s", "default", "what about my garden?", Instant.now()),
                "m").stream().map(ContextSection::title).toList();
    }

    @Test
    void aRunOfAnOwnerWithoutKnowledgeReadsNothingOnceThatIsKnown() {
        assertThat(titles("alice")).isEmpty();
        // the first run learns that alice has nothing: one cheap look per kind
        assertThat(calls).containsExactlyInAnyOrder("MemoryStore.list", "MemoryStore.list", "NoteStore.list",
                "UserProfileStore.facts");
        calls.clear();
        assertThat(titles("alice")).isEmpty();
        assertThat(calls).isEmpty();

        // a write of hers is seen by her next run; bob's runs still read nothing
        memories.create("alice", new Memories.Draft(null, "The garden has tomatoes", List.of(), null, true, null,
                null));
        notes.create("alice", new Notes.Draft("Garden", "Water at dawn", null, List.of(), NoteContext.AUTO,
                List.of()));
        facts.save(new UserFact("f1", "alice", "Grows vegetables", 0.9, false, null, 1, Instant.now(),
                Instant.now()));
        assertThat(titles("alice")).contains("Pinned memories", "Notes", "About the user");
        titles("bob");
        calls.clear();
        assertThat(titles("bob")).isEmpty();
        assertThat(calls).isEmpty();

        // and once she has nothing again, her runs read nothing again
        memories.list("alice", null, dev.switchboard.memory.MemoryFilter.ALL, 10, 0)
                .forEach(m -> memories.delete("alice", m.id()));
        notes.list("alice", null, 10, 0).forEach(n -> notes.delete("alice", n.id()));
        facts.delete("alice", "f1");
        assertThat(titles("alice")).isEmpty();
        calls.clear();
        assertThat(titles("alice")).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void searchesUseTheOwnersCachedVectorsUntilAWriteOfTheirsOrTheWorkerChangesThem() throws Exception {
        retrieval.start();
        var first = memories.create("alice", new Memories.Draft(null, "Tomatoes in the garden", List.of(), null,
                null, null, null));
        assertThat(retrieval.awaitEmbedded(10_000)).isTrue();
        assertThat(memories.search("alice", "tomatoes", dev.switchboard.memory.MemoryFilter.ALL, 5))
                .extracting(dev.switchboard.memory.Memory::id).containsExactly(first.id());
        calls.clear();
        memories.search("alice", "garden", dev.switchboard.memory.MemoryFilter.ALL, 5);
        memories.search("alice", "anything else", dev.switchboard.memory.MemoryFilter.ALL, 5);
        // words are matched in the index each time; the vectors come from memory, not even their stamp is read
        assertThat(calls).doesNotContain("KnowledgeIndex.stamp", "KnowledgeIndex.vectors");

        var second = memories.create("alice", new Memories.Draft(null, "Basil on the balcony", List.of(), null,
                null, null, null));
        assertThat(retrieval.awaitEmbedded(10_000)).isTrue();
        calls.clear();
        // both memories share the fake embedder's one vector, so a query matching no word finds both by meaning
        assertThat(memories.search("alice", "zzz", dev.switchboard.memory.MemoryFilter.ALL, 5))
                .extracting(dev.switchboard.memory.Memory::id).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(calls).contains("KnowledgeIndex.vectors");

        memories.delete("alice", second.id());
        assertThat(memories.search("alice", "zzz", dev.switchboard.memory.MemoryFilter.ALL, 5))
                .extracting(dev.switchboard.memory.Memory::id).containsExactly(first.id());
    }
}
