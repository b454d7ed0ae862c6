package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.knowledge.KnowledgeIndex;
import dev.switchboard.knowledge.KnowledgeKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the knowledge index must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KnowledgeIndexContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected JdbcStore store;

    protected abstract JdbcStore openStore() throws Exception;

    protected abstract void dropDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = openStore();
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    @Test
    void pendingEntriesNameTheirOwnerAndAVectorOfAnotherModelIsPendingAgain() {
        KnowledgeIndex index = store.knowledgeIndex();
        index.put(KnowledgeKind.MEMORY, "m1", "alice", "tomatoes in the garden", T0);
        List<KnowledgeIndex.Pending> pending = index.unembedded("model-a", 10);
        assertThat(pending).containsExactly(new KnowledgeIndex.Pending(KnowledgeKind.MEMORY, "m1", "alice",
                "tomatoes in the garden"));

        index.storeVector(pending.getFirst(), new float[] {1, 2}, "model-a", T0.plusSeconds(1));
        assertThat(index.unembedded("model-a", 10)).isEmpty();
        assertThat(index.stamp(KnowledgeKind.MEMORY, "alice", "model-a"))
                .isEqualTo(new KnowledgeIndex.Stamp(1, T0.plusSeconds(1).toEpochMilli()));
        assertThat(index.vectors(KnowledgeKind.MEMORY, "alice", "model-a").getFirst().vector())
                .containsExactly(1, 2);
        // another model: the entry is embedded again, and its old vector is never returned for the new model
        assertThat(index.unembedded("model-b", 10)).extracting(KnowledgeIndex.Pending::id).containsExactly("m1");
        assertThat(index.vectors(KnowledgeKind.MEMORY, "alice", "model-b")).isEmpty();

        // after a bulk change the index is optimized in place, and answers as before
        index.optimize();
        assertThat(index.matchText(KnowledgeKind.MEMORY, "alice", List.of("tomatoes"), 5)).containsExactly("m1");
        assertThat(index.matchText(KnowledgeKind.MEMORY, "bob", List.of("tomatoes"), 5)).isEmpty();
    }
}
