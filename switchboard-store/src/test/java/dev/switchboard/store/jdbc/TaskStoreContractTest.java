package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Ids;
import dev.switchboard.task.PushTarget;
import dev.switchboard.task.Task;
import dev.switchboard.task.TaskState;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the A2A task store must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TaskStoreContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected JdbcStore store;
    private JdbcTaskStore tasks;

    protected abstract JdbcStore openStore() throws Exception;

    protected abstract void dropDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = openStore();
        tasks = store.tasks();
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    @Test
    void tasksAreOwnerScopedListedNewestFirstAndFilteredByContextAndState() {
        String alice = Ids.next("usr");
        String bob = Ids.next("usr");
        Task first = task(alice, "ctx-a", T0);
        Task second = task(alice, "ctx-a", T0.plusSeconds(1));
        Task other = task(alice, "ctx-b", T0.plusSeconds(2));
        Task bobs = task(bob, "ctx-a", T0.plusSeconds(3));
        for (Task task : new Task[] {first, second, other, bobs}) {
            tasks.create(task);
        }

        assertThat(tasks.find(alice, first.id())).contains(first);
        assertThat(tasks.find(bob, first.id())).isEmpty();
        assertThat(tasks.byId(first.id())).contains(first);
        assertThat(tasks.list(alice, null, null, 10, 0)).extracting(Task::id)
                .containsExactly(other.id(), second.id(), first.id());
        assertThat(tasks.list(alice, "ctx-a", null, 10, 0)).extracting(Task::id)
                .containsExactly(second.id(), first.id());
        assertThat(tasks.list(alice, null, null, 1, 1)).extracting(Task::id).containsExactly(second.id());
        assertThat(tasks.count(alice, null, null)).isEqualTo(3);
        assertThat(tasks.count(alice, "ctx-a", TaskState.SUBMITTED)).isEqualTo(2);

        assertThat(tasks.update(first.id(), TaskState.COMPLETED, "the answer", null, T0.plusSeconds(9))).isTrue();
        Task done = tasks.find(alice, first.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.answer()).isEqualTo("the answer");
        assertThat(done.updatedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(tasks.list(alice, null, TaskState.COMPLETED, 10, 0)).extracting(Task::id)
                .containsExactly(first.id());
        // an ended task never changes again
        assertThat(tasks.update(first.id(), TaskState.FAILED, null, "late", T0.plusSeconds(10))).isFalse();
        assertThat(tasks.find(alice, first.id()).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);

        assertThat(tasks.unfinished()).extracting(Task::id).contains(second.id(), other.id(), bobs.id())
                .doesNotContain(first.id());
    }

    @Test
    void pushTargetsBelongToTheirTaskAndOwnerAndAreReplacedById() {
        String alice = Ids.next("usr");
        Task task = task(alice, "ctx-p", T0);
        tasks.create(task);
        PushTarget hook = new PushTarget("hook", task.id(), alice, "https://example.com/a", "sealed-token", "Bearer",
                "sealed-credentials", "1.0", T0);
        tasks.addPushTarget(hook);
        tasks.addPushTarget(new PushTarget("later", task.id(), alice, "https://example.com/b", null, null, null,
                "0.3", T0.plusSeconds(1)));

        assertThat(tasks.pushTargets(alice, task.id())).extracting(PushTarget::id).containsExactly("hook", "later");
        assertThat(tasks.pushTargets(alice, task.id()).getFirst()).isEqualTo(hook);
        assertThat(tasks.pushTargets("someone-else", task.id())).isEmpty();

        // the same id again replaces the target
        tasks.addPushTarget(new PushTarget("hook", task.id(), alice, "https://example.com/c", null, null, null, "1.0",
                T0.plusSeconds(2)));
        assertThat(tasks.pushTargets(alice, task.id())).extracting(PushTarget::url)
                .containsExactlyInAnyOrder("https://example.com/c", "https://example.com/b");

        assertThat(tasks.deletePushTarget("someone-else", task.id(), "hook")).isFalse();
        assertThat(tasks.deletePushTarget(alice, task.id(), "hook")).isTrue();
        assertThat(tasks.deletePushTarget(alice, task.id(), "hook")).isFalse();
        assertThat(tasks.pushTargets(alice, task.id())).extracting(PushTarget::id).containsExactly("later");
    }

    private static Task task(String owner, String context, Instant at) {
        return new Task(Ids.next("task"), owner, context, "default", Ids.next("msg"), "client-" + at.getEpochSecond(),
                TaskState.SUBMITTED, "hello", null, null, at, at);
    }
}
