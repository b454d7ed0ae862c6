package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.pipeline.Checkpoint;
import dev.switchboard.pipeline.PipelineInput;
import dev.switchboard.pipeline.PipelineRun;
import dev.switchboard.pipeline.PipelineState;
import dev.switchboard.pipeline.PipelineStatus;
import dev.switchboard.pipeline.PipelineStep;
import dev.switchboard.pipeline.PipelineTemplate;
import dev.switchboard.pipeline.PlanItem;
import dev.switchboard.pipeline.StepProgress;
import dev.switchboard.pipeline.StepStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the pipeline store must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineStoreContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final List<PipelineStep> STEPS = List.of(
            new PipelineStep("plan", null, "Plan {{input.topic}}", null, false, 0, null),
            new PipelineStep("write", "writer", "Write {{item}}", List.of("current_time"), true, 2, "steps.plan"));

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
    void templatesKeepEveryFieldAndBelongToTheirOwner() {
        String id = "plt-" + UUID.randomUUID();
        PipelineTemplate template = new PipelineTemplate(id, "alice", "Essay", "Plans then writes", STEPS, T0, T0);
        store.pipelines().addTemplate(template);
        assertThat(store.pipelines().findTemplate("alice", id)).contains(template);
        assertThat(store.pipelines().findTemplate("bob", id)).isEmpty();
        assertThat(store.pipelines().templates("bob")).isEmpty();

        PipelineTemplate renamed = new PipelineTemplate(id, "alice", "Essay 2", null, STEPS.subList(0, 1), T0,
                T0.plusSeconds(5));
        assertThat(store.pipelines().updateTemplate(new PipelineTemplate(id, "bob", "Bob's", null, STEPS, T0, T0)))
                .isFalse();
        assertThat(store.pipelines().updateTemplate(renamed)).isTrue();
        assertThat(store.pipelines().templates("alice")).contains(renamed);
        assertThat(store.pipelines().deleteTemplate("bob", id)).isFalse();
        assertThat(store.pipelines().deleteTemplate("alice", id)).isTrue();
        assertThat(store.pipelines().findTemplate("alice", id)).isEmpty();
    }

    @Test
    void runsAndCheckpointsKeepTheirWholeState() {
        String id = "pipe-" + UUID.randomUUID();
        Map<String, StepProgress> steps = new LinkedHashMap<>();
        steps.put("plan", new StepProgress(StepStatus.COMPLETED, "- a\n- b", List.of("s1"), 1, null, null));
        steps.put("write", new StepProgress(StepStatus.RUNNING, null, List.of("s2", "s3"), 2, "boom", List.of(
                new PlanItem("i1", "a", StepStatus.COMPLETED, "A!", "s2"),
                new PlanItem("i2", "b", StepStatus.RUNNING, null, null))));
        PipelineState state = new PipelineState(1, 1, steps);
        PipelineRun run = new PipelineRun(id, "alice", "plt-x", "Essay", STEPS,
                Map.of("topic", new PipelineInput.Text("bees"), "list", new PipelineInput.Items(List.of("x", "y"))),
                PipelineStatus.RUNNING, state, null, T0, T0);
        store.pipelines().addRun(run);
        assertThat(store.pipelines().findRun("alice", id)).contains(run);
        assertThat(store.pipelines().findRun("bob", id)).isEmpty();
        assertThat(store.pipelines().runs("bob")).isEmpty();
        assertThat(store.pipelines().runsInStatus(PipelineStatus.RUNNING)).contains(run);

        PipelineRun paused = run.with(PipelineStatus.PAUSED, state.settled(), "why", T0.plusSeconds(1));
        store.pipelines().updateRun(paused);
        assertThat(store.pipelines().findRun("alice", id)).contains(paused);
        assertThat(store.pipelines().runsInStatus(PipelineStatus.RUNNING)).doesNotContain(run, paused);
        assertThat(store.pipelines().runs("alice")).contains(paused);

        for (int seq = 1; seq <= 3; seq++) {
            store.pipelines().addCheckpoint(new Checkpoint(id + "-cp" + seq, id, seq, "before " + seq,
                    state.at(seq, -1), T0.plusSeconds(seq)));
        }
        List<Checkpoint> checkpoints = store.pipelines().checkpoints(id);
        assertThat(checkpoints).extracting(Checkpoint::seq).containsExactly(1, 2, 3);
        assertThat(checkpoints.get(1).state()).isEqualTo(state.at(2, -1));
        Checkpoint edited = new Checkpoint(checkpoints.get(0).id(), id, 1, "before 1", state.settled(),
                checkpoints.get(0).createdAt());
        store.pipelines().updateCheckpoint(edited);
        store.pipelines().deleteCheckpointsAfter(id, 1);
        assertThat(store.pipelines().checkpoints(id)).containsExactly(edited);
    }
}
