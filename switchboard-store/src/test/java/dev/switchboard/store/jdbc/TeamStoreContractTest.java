package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.AgentEvent;
import dev.switchboard.agent.AgentEventStore;
import dev.switchboard.team.BusMessage;
import dev.switchboard.team.SubagentTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the bus, the subagent tasks and the agents' event log must do on every database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TeamStoreContractTest {

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

    private static BusMessage message(String id, String owner, String kind, String content) {
        return new BusMessage(0, id, owner, "default", "worker", kind, content, "task-1", "ses-1", T0);
    }

    @Test
    void busMessagesGetIncreasingSequenceNumbersAndStayWithTheirOwner() {
        BusMessage first = store.team().append(message("bus-a1", "ann", BusMessage.DELEGATE, "do it"));
        BusMessage other = store.team().append(message("bus-b1", "ben", BusMessage.DELEGATE, "bens"));
        BusMessage second = store.team().append(message("bus-a2", "ann", BusMessage.REPLY, "done"));
        assertThat(first.seq()).isPositive();
        assertThat(other.seq()).isGreaterThan(first.seq());
        assertThat(second.seq()).isGreaterThan(other.seq());

        List<BusMessage> anns = store.team().recentMessages("ann", 10);
        assertThat(anns).extracting(BusMessage::id).containsExactly("bus-a1", "bus-a2");
        assertThat(anns.get(1)).isEqualTo(second);
        assertThat(store.team().recentMessages("ann", 1)).extracting(BusMessage::id).containsExactly("bus-a2");
        assertThat(store.team().recentMessages("nobody", 10)).isEmpty();
    }

    @Test
    void tasksAreCreatedFinishedAndListedNewestFirst() {
        store.team().createTask(new SubagentTask("task-x1", "cat", "delegate", "default", "ses-p", "run-p", "worker",
                "ses-c", "compute", 1, SubagentTask.RUNNING, null, null, null, T0, null));
        store.team().createTask(new SubagentTask("task-x2", "cat", "spawn", "default", "ses-p", "run-p", "worker-1",
                "ses-d", "write", 2, SubagentTask.RUNNING, null, null, null, T0.plusSeconds(1), null));
        store.team().finishTask("task-x1", SubagentTask.COMPLETED, "42", null, 0.25, T0.plusSeconds(5));
        store.team().finishTask("task-x2", SubagentTask.CANCELLED, null, "cancelled", null, T0.plusSeconds(6));

        List<SubagentTask> tasks = store.team().tasks("cat", 10);
        assertThat(tasks).extracting(SubagentTask::id).containsExactly("task-x2", "task-x1");
        SubagentTask done = tasks.get(1);
        assertThat(done.status()).isEqualTo(SubagentTask.COMPLETED);
        assertThat(done.result()).isEqualTo("42");
        assertThat(done.estimatedCost()).isEqualTo(0.25);
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(tasks.get(0).estimatedCost()).isNull();
        assertThat(tasks.get(0).error()).isEqualTo("cancelled");
        assertThat(tasks.get(0).depth()).isEqualTo(2);
        assertThat(store.team().tasks("dog", 10)).isEmpty();
    }

    @Test
    void agentEventsAreReadBackByOwnerAndRangeAndNumberingResumes() {
        List<AgentEvent> events = new ArrayList<>();
        for (int seq = 1; seq <= 6; seq++) {
            events.add(new AgentEvent("scribe", seq, seq % 2 == 0 ? "eve" : "fay", "ses-e", "run-e", "llm:chunk",
                    "{\"seq\":" + seq + "}", T0.plusMillis(seq)));
        }
        store.team().append(events);
        assertThat(store.team().between("scribe", "eve", 0, Long.MAX_VALUE, 10)).extracting(AgentEvent::seq)
                .containsExactly(2L, 4L, 6L);
        assertThat(store.team().between("scribe", "eve", 2, 6, 10)).extracting(AgentEvent::seq).containsExactly(4L);
        assertThat(store.team().between("scribe", "fay", 0, Long.MAX_VALUE, 2)).extracting(AgentEvent::seq)
                .containsExactly(1L, 3L);
        AgentEvent read = store.team().between("scribe", "fay", 0, 2, 1).getFirst();
        assertThat(read).isEqualTo(events.getFirst());
        assertThat(store.team().lastSeqs()).containsEntry("scribe", 6L);
    }

    @Test
    void theOwnerAndAgentOfASessionAreFound() {
        store.createSession("ses-owned", "gus", "worker", T0);
        assertThat(store.team().ownerOf("ses-owned")).contains(new AgentEventStore.SessionOwner("gus", "worker"));
        assertThat(store.team().ownerOf("ses-none")).isEmpty();
    }
}
