package dev.switchboard.pipeline;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.content.Content;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.pipeline.PromptTemplate.Reference;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOptions;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.Tool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipelines: templates of steps, and their runs. A run goes through its steps in order, each step (and each item of
 * a {@code foreach} step's plan) an ordinary run of an agent in a session of its own that the pipeline run owns. A
 * checkpoint is stored at every step boundary; a run can be paused, resumed, rewound to a checkpoint and stopped,
 * waits for a person at an approval gate, and goes on from its last checkpoint after a restart.
 *
 * <p>Every change to a run happens under that run's lock and is stored before the lock is released, so the stored
 * run is always the truth; the thread that drives a run holds the lock only between steps, never during one.
 */
public final class Pipelines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipelines.class);

    public static final int MAX_STEPS = 50;
    public static final int MAX_RETRIES = 10;
    public static final int MAX_PROMPT = 20_000;
    public static final int MAX_NAME = 120;
    public static final int MAX_DESCRIPTION = 2_000;
    public static final int MAX_ITEMS = 200;
    public static final int MAX_ITEM = 2_000;
    public static final int MAX_OUTPUT = 200_000;
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final PipelineStore store;
    private final Sessions sessions;
    private final RunEngine engine;
    private final AgentCatalog agents;
    private final AgentTools tools;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** The thread driving each run that is running in this process. */
    private final Map<String, Driver> drivers = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private final List<GateListener> gateListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told when a run stops at an approval gate, so that someone is asked (notifications). */
    @FunctionalInterface
    public interface GateListener {
        void awaitingApproval(PipelineRun run, String stepId);
    }

    /** Registers a listener for runs that reach an approval gate; it runs on the driving thread, so keep it quick. */
    public void onAwaitingApproval(GateListener listener) {
        gateListeners.add(listener);
    }

    public Pipelines(PipelineStore store, Sessions sessions, RunEngine engine, AgentCatalog agents, AgentTools tools,
            Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.engine = engine;
        this.agents = agents;
        this.tools = tools;
        this.clock = clock;
    }

    // ---- templates

    /** What a caller gives to create or replace a template. */
    public record Draft(String name, String description, List<PipelineStep> steps) {
    }

    /** @throws InvalidInputException naming the field when the draft is not a pipeline that can run */
    public PipelineTemplate createTemplate(String ownerId, Draft draft) {
        validate(draft);
        Instant now = clock.instant();
        PipelineTemplate template = new PipelineTemplate(Ids.next("plt"), ownerId, draft.name().strip(),
                draft.description(), draft.steps(), now, now);
        store.addTemplate(template);
        return template;
    }

    public PipelineTemplate updateTemplate(String ownerId, String id, Draft draft) {
        PipelineTemplate current = template(ownerId, id);
        validate(draft);
        PipelineTemplate changed = new PipelineTemplate(id, ownerId, draft.name().strip(), draft.description(),
                draft.steps(), current.createdAt(), clock.instant());
        if (!store.updateTemplate(changed)) {
            throw new NotFoundException("pipeline template", id);
        }
        return changed;
    }

    public PipelineTemplate template(String ownerId, String id) {
        return store.findTemplate(ownerId, id).orElseThrow(() -> new NotFoundException("pipeline template", id));
    }

    public List<PipelineTemplate> templates(String ownerId) {
        return store.templates(ownerId);
    }

    /** Deletes the template; its runs keep their own copy of its steps. */
    public void deleteTemplate(String ownerId, String id) {
        if (!store.deleteTemplate(ownerId, id)) {
            throw new NotFoundException("pipeline template", id);
        }
    }

    private void validate(Draft draft) {
        if (draft.name() == null || draft.name().isBlank() || draft.name().length() > MAX_NAME) {
            throw new InvalidInputException("name", "is required: 1 to " + MAX_NAME + " characters");
        }
        if (draft.description() != null && draft.description().length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (draft.steps() == null || draft.steps().isEmpty() || draft.steps().size() > MAX_STEPS) {
            throw new InvalidInputException("steps", "must list 1 to " + MAX_STEPS + " steps");
        }
        Set<String> earlier = new HashSet<>();
        for (int i = 0; i < draft.steps().size(); i++) {
            PipelineStep step = draft.steps().get(i);
            String at = "steps[" + i + "]";
            if (step.id() == null || !STEP_ID.matcher(step.id()).matches()) {
                throw new InvalidInputException(at + ".id", "is required: 1 to 64 letters, digits, '_' or '-', "
                        + "starting with a letter or digit");
            }
            if (earlier.contains(step.id())) {
                throw new InvalidInputException(at + ".id", "'" + step.id() + "' names an earlier step too");
            }
            AgentDefinition agent = agents.find(step.agentId() == null ? agents.defaultAgentId() : step.agentId())
                    .orElseThrow(() -> new InvalidInputException(at + ".agent", "No agent named '" + step.agentId()
                            + "'"));
            if (step.prompt() == null || step.prompt().isBlank() || step.prompt().length() > MAX_PROMPT) {
                throw new InvalidInputException(at + ".prompt", "is required: 1 to " + MAX_PROMPT + " characters");
            }
            if (step.retries() < 0 || step.retries() > MAX_RETRIES) {
                throw new InvalidInputException(at + ".retries", "must be from 0 to " + MAX_RETRIES);
            }
            if (step.tools() != null) {
                Set<String> known = new HashSet<>(agent.tools());
                tools.of(agent).stream().map(Tool::spec).forEach(spec -> known.add(spec.name()));
                for (int t = 0; t < step.tools().size(); t++) {
                    if (!known.contains(step.tools().get(t))) {
                        throw new InvalidInputException(at + ".tools[" + t + "]", "Agent '" + agent.id()
                                + "' has no tool '" + step.tools().get(t) + "'");
                    }
                }
            }
            if (step.isForeach()) {
                Reference source = PromptTemplate.source(step.foreach());
                if (source == null) {
                    throw new InvalidInputException(at + ".foreach", "must be steps.<id> (an earlier step) or "
                            + "input.<name>");
                }
                if (source instanceof Reference.StepOutput(String stepId) && !earlier.contains(stepId)) {
                    throw new InvalidInputException(at + ".foreach", "'" + stepId + "' is not an earlier step");
                }
            }
            List<Reference> references;
            try {
                references = PromptTemplate.references(step.prompt());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(at + ".prompt", e.getMessage());
            }
            for (Reference reference : references) {
                switch (reference) {
                    case Reference.StepOutput(String stepId) when !earlier.contains(stepId) ->
                            throw new InvalidInputException(at + ".prompt", "{{steps." + stepId + ".output}} is not "
                                    + "the output of an earlier step");
                    case Reference.Item item when !step.isForeach() ->
                            throw new InvalidInputException(at + ".prompt", "{{item}} needs a foreach step");
                    case Reference.Index index when !step.isForeach() ->
                            throw new InvalidInputException(at + ".prompt", "{{index}} needs a foreach step");
                    default -> {
                    }
                }
            }
            earlier.add(step.id());
        }
    }

    // ---- runs

    /**
     * Starts a run of the template.
     *
     * @param inputs the values its prompts and plans refer to as {@code input.<name>}
     * @throws InvalidInputException ({@code inputs.<name>}) when one it refers to is missing
     */
    public PipelineRun start(String ownerId, String templateId, Map<String, PipelineInput> inputs, String name) {
        PipelineTemplate template = store.findTemplate(ownerId, templateId)
                .orElseThrow(() -> new InvalidInputException("templateId", "No pipeline template '" + templateId
                        + "'"));
        for (PipelineStep step : template.steps()) {
            List<Reference> references = new ArrayList<>(PromptTemplate.references(step.prompt()));
            if (step.isForeach()) {
                references.add(PromptTemplate.source(step.foreach()));
            }
            for (Reference reference : references) {
                if (reference instanceof Reference.Input(String input) && !inputs.containsKey(input)) {
                    throw new InvalidInputException("inputs." + input, "is required: step '" + step.id()
                            + "' refers to it");
                }
            }
        }
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            throw new InvalidInputException("name", "must be 1 to " + MAX_NAME + " characters");
        }
        Map<String, StepProgress> steps = new LinkedHashMap<>();
        for (PipelineStep step : template.steps()) {
            List<PlanItem> plan = null;
            if (step.isForeach() && PromptTemplate.source(step.foreach()) instanceof Reference.Input(String input)) {
                plan = planOf(switch (inputs.get(input)) {
                    case PipelineInput.Items items -> items.items();
                    case PipelineInput.Text text -> PlanItems.parse(text.text());
                });
            }
            steps.put(step.id(), StepProgress.PENDING.withPlan(plan));
        }
        Instant now = clock.instant();
        PipelineRun run = new PipelineRun(Ids.next("pipe"), ownerId, template.id(),
                name == null ? template.name() : name.strip(), template.steps(), inputs, PipelineStatus.RUNNING,
                new PipelineState(0, -1, steps), null, now, now);
        store.addRun(run);
        synchronized (lock(run.id())) {
            drive(run);
        }
        return run;
    }

    public PipelineRun get(String ownerId, String id) {
        return store.findRun(ownerId, id).orElseThrow(() -> new NotFoundException("pipeline", id));
    }

    public List<PipelineRun> list(String ownerId) {
        return store.runs(ownerId);
    }

    public List<Checkpoint> checkpoints(String ownerId, String id) {
        get(ownerId, id);
        return store.checkpoints(id);
    }

    /**
     * Pauses a running run (or one waiting for approval) at its last checkpoint: a step in progress is cancelled and
     * runs again on resume.
     *
     * @throws ConflictException when it is neither running nor waiting
     */
    public PipelineRun pause(String ownerId, String id) {
        synchronized (lock(id)) {
            PipelineRun run = get(ownerId, id);
            requireStatus(run, "pause", PipelineStatus.RUNNING, PipelineStatus.AWAITING_APPROVAL);
            return halt(run, PipelineStatus.PAUSED, null);
        }
    }

    /** Stops a run for good (it can still be rewound to a checkpoint); a step in progress is cancelled. */
    public PipelineRun stop(String ownerId, String id) {
        synchronized (lock(id)) {
            PipelineRun run = get(ownerId, id);
            requireStatus(run, "stop", PipelineStatus.RUNNING, PipelineStatus.PAUSED,
                    PipelineStatus.AWAITING_APPROVAL);
            return halt(run, PipelineStatus.STOPPED, "Stopped by the user");
        }
    }

    /**
     * Goes on with a run that is not running: from where it is (its last checkpoint and the plan edits since), or,
     * with {@code checkpointId}, from that checkpoint (a rewind: the checkpoints after it are deleted).
     *
     * @throws ConflictException when it is running, or completed and no checkpoint is named
     * @throws NotFoundException ({@code checkpoint}) when the run has no such checkpoint
     */
    public PipelineRun resume(String ownerId, String id, String checkpointId) {
        synchronized (lock(id)) {
            PipelineRun run = get(ownerId, id);
            if (run.status() == PipelineStatus.RUNNING) {
                throw conflict(run, "resume", "it is running; pause it first");
            }
            PipelineState state;
            if (checkpointId == null) {
                if (run.status() == PipelineStatus.COMPLETED) {
                    throw conflict(run, "resume", "it completed; name a checkpoint to rewind to");
                }
                state = run.state().settled();
            } else {
                Checkpoint checkpoint = checkpoint(id, checkpointId);
                store.deleteCheckpointsAfter(id, checkpoint.seq());
                state = checkpoint.state().settled();
            }
            PipelineRun resumed = save(run.with(PipelineStatus.RUNNING, state, null, clock.instant()));
            drive(resumed);
            return resumed;
        }
    }

    /**
     * Answers the approval gate a run waits at: approved, the step starts; refused, the run stops.
     *
     * @throws ConflictException when the run does not wait for an approval
     */
    public PipelineRun approve(String ownerId, String id, boolean approved, String comment) {
        synchronized (lock(id)) {
            PipelineRun run = get(ownerId, id);
            requireStatus(run, "approve", PipelineStatus.AWAITING_APPROVAL);
            PipelineState state = run.state();
            if (!approved) {
                String stepId = run.steps().get(state.stepIndex()).id();
                return save(run.with(PipelineStatus.STOPPED, state, "Step '" + stepId + "' was not approved"
                        + (comment == null || comment.isBlank() ? "" : ": " + comment), clock.instant()));
            }
            PipelineRun going = save(run.with(PipelineStatus.RUNNING, state.at(state.stepIndex(), state.stepIndex()),
                    null, clock.instant()));
            drive(going);
            return going;
        }
    }

    /**
     * Replaces the items of a {@code foreach} step's plan that have not started, keeping those done or in progress;
     * allowed while the run has not ended, also while it runs.
     */
    public PipelineRun editPlan(String ownerId, String id, String stepId, List<String> items) {
        synchronized (lock(id)) {
            PipelineRun run = get(ownerId, id);
            PipelineStep step = foreachStep(run, stepId, "stepId");
            requireStatus(run, "edit the plan of", PipelineStatus.RUNNING, PipelineStatus.PAUSED,
                    PipelineStatus.AWAITING_APPROVAL);
            StepProgress progress = run.state().step(step.id());
            if (progress.status() == StepStatus.COMPLETED) {
                throw new ConflictException("Step '" + stepId + "' has completed; rewind to a checkpoint before it to "
                        + "change its plan", Map.of("pipelineId", id, "stepId", stepId));
            }
            if (progress.plan() == null) {
                throw new ConflictException("The plan of step '" + stepId + "' is not known yet: it comes from "
                        + step.foreach(), Map.of("pipelineId", id, "stepId", stepId));
            }
            PipelineState state = run.state().with(step.id(), progress.withPlan(replacePending(progress.plan(),
                    items, "items")));
            return save(run.with(run.status(), state, run.error(), clock.instant()));
        }
    }

    /**
     * Changes what a checkpoint holds, for a rewind to it: step outputs, and the not yet started items of plans.
     *
     * @throws ConflictException while the run is running
     */
    public Checkpoint editCheckpoint(String ownerId, String id, String checkpointId, Map<String, String> outputs,
            Map<String, List<String>> plans) {
        synchronized (lock(id)) {
            PipelineRun run = get(ownerId, id);
            Checkpoint checkpoint = checkpoint(id, checkpointId);
            if (run.status() == PipelineStatus.RUNNING) {
                throw new ConflictException("Pipeline '" + id + "' is running; pause it before editing a checkpoint",
                        Map.of("pipelineId", id, "status", run.status().wireName()));
            }
            PipelineState state = checkpoint.state();
            for (Map.Entry<String, String> output : outputs.entrySet()) {
                String field = "outputs." + output.getKey();
                PipelineStep step = stepOf(run, output.getKey(), field);
                StepProgress progress = state.step(step.id());
                if (progress.status() != StepStatus.COMPLETED) {
                    throw new InvalidInputException(field, "Step '" + step.id() + "' has no output at checkpoint "
                            + checkpoint.seq());
                }
                if (output.getValue() == null || output.getValue().length() > MAX_OUTPUT) {
                    throw new InvalidInputException(field, "must be a string of at most " + MAX_OUTPUT
                            + " characters");
                }
                state = state.with(step.id(), new StepProgress(progress.status(), output.getValue(),
                        progress.sessionIds(), progress.attempts(), progress.error(), progress.plan()));
                state = derivePlans(run, state, step.id(), true);
            }
            for (Map.Entry<String, List<String>> plan : plans.entrySet()) {
                String field = "plans." + plan.getKey();
                PipelineStep step = foreachStep(run, plan.getKey(), field);
                StepProgress progress = state.step(step.id());
                if (progress.plan() == null || progress.status() == StepStatus.COMPLETED) {
                    throw new InvalidInputException(field, "Step '" + step.id() + "' has no plan to change at "
                            + "checkpoint " + checkpoint.seq());
                }
                state = state.with(step.id(), progress.withPlan(replacePending(progress.plan(), plan.getValue(),
                        field)));
            }
            Checkpoint changed = new Checkpoint(checkpoint.id(), id, checkpoint.seq(), checkpoint.label(), state,
                    checkpoint.createdAt());
            store.updateCheckpoint(changed);
            return changed;
        }
    }

    /** Resumes, from their last checkpoint, the runs a stopped process left running. Call once at start. */
    public void recover() {
        for (PipelineRun run : store.runsInStatus(PipelineStatus.RUNNING)) {
            synchronized (lock(run.id())) {
                LOG.info("Resuming pipeline {} from its last checkpoint", run.id());
                drive(save(run.with(PipelineStatus.RUNNING, run.state().settled(), null, clock.instant())));
            }
        }
    }

    /** Stops the threads driving runs, leaving the runs stored as running so that the next start resumes them. */
    @Override
    public void close() {
        closing = true;
        List<Driver> running = List.copyOf(drivers.values());
        running.forEach(driver -> driver.thread.interrupt());
        for (Driver driver : running) {
            try {
                driver.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- the driver of a run

    /** The thread going through one run's steps; replaced (and the old one ignored) when the run is resumed. */
    private final class Driver {
        final String runId;
        final String ownerId;
        Thread thread;
        /** The session of the step run in progress, to cancel it; null between steps. Guarded by the run's lock. */
        String session;

        Driver(String runId, String ownerId) {
            this.runId = runId;
            this.ownerId = ownerId;
        }

        boolean current() {
            return drivers.get(runId) == this && !closing;
        }
    }

    /** One run of an agent the driver is about to make: a step, or one item of a {@code foreach} step. */
    private record Unit(PipelineStep step, PlanItem item, String prompt) {
    }

    /** How a unit's runs ended. */
    private sealed interface Result {
        record Done(String output) implements Result {
        }

        record Failed(String error) implements Result {
        }

        /** The driver was replaced or the process is stopping: nothing is to be recorded. */
        record Abandoned() implements Result {
        }
    }

    /** Starts a driver for the run; the caller holds the run's lock. */
    private void drive(PipelineRun run) {
        if (closing) {
            return;
        }
        Driver driver = new Driver(run.id(), run.ownerId());
        Driver previous = drivers.put(run.id(), driver);
        if (previous != null && previous.session != null) {
            engine.cancel(previous.session, true);
        }
        driver.thread = Thread.ofVirtual().name("pipeline-" + run.id()).unstarted(() -> loop(driver));
        driver.thread.start();
    }

    private void loop(Driver driver) {
        try {
            while (true) {
                Unit unit;
                synchronized (lock(driver.runId)) {
                    if (!driver.current()) {
                        return;
                    }
                    PipelineRun run = get(driver.ownerId, driver.runId);
                    if (run.status() != PipelineStatus.RUNNING) {
                        return;
                    }
                    unit = next(run);
                    if (unit == null) {
                        if (get(driver.ownerId, driver.runId).status() != PipelineStatus.RUNNING) {
                            return;
                        }
                        continue;
                    }
                }
                Result result = execute(driver, unit);
                synchronized (lock(driver.runId)) {
                    driver.session = null;
                    if (result instanceof Result.Abandoned || !driver.current()) {
                        return;
                    }
                    PipelineRun run = get(driver.ownerId, driver.runId);
                    if (run.status() != PipelineStatus.RUNNING) {
                        return;
                    }
                    record(run, unit, result);
                }
            }
        } catch (RuntimeException e) {
            if (closing) {
                return;
            }
            LOG.error("Pipeline {} failed: {}", driver.runId, e.toString(), e);
            synchronized (lock(driver.runId)) {
                if (drivers.get(driver.runId) == driver) {
                    store.findRun(driver.ownerId, driver.runId).filter(r -> r.status() == PipelineStatus.RUNNING)
                            .ifPresent(r -> save(r.with(PipelineStatus.FAILED, r.state(), "Internal error: "
                                    + e.getMessage(), clock.instant())));
                }
            }
        } finally {
            drivers.remove(driver.runId, driver);
        }
    }

    /**
     * Moves the run to its next unit of work, storing a checkpoint before it; null when it moved without one (a step
     * finished its plan, the run completed or reached an approval gate).
     */
    private Unit next(PipelineRun run) {
        PipelineState state = run.state();
        if (state.stepIndex() >= run.steps().size()) {
            checkpoint(run, state, "completed");
            save(run.with(PipelineStatus.COMPLETED, state, null, clock.instant()));
            return null;
        }
        PipelineStep step = run.steps().get(state.stepIndex());
        StepProgress progress = state.step(step.id());
        String before = "before step '" + step.id() + "'";
        if (step.approval() && state.approvedStep() < state.stepIndex()) {
            checkpoint(run, state, before + ", awaiting approval");
            PipelineRun waiting = run.with(PipelineStatus.AWAITING_APPROVAL, state, null, clock.instant());
            save(waiting);
            for (GateListener listener : gateListeners) {
                try {
                    listener.awaitingApproval(waiting, step.id());
                } catch (RuntimeException e) {
                    LOG.warn("A pipeline gate listener failed for run {}: {}", run.id(), e.toString());
                }
            }
            return null;
        }
        if (!step.isForeach()) {
            checkpoint(run, state, before);
            save(run.with(run.status(), state.with(step.id(), progress.withStatus(StepStatus.RUNNING)), null,
                    clock.instant()));
            return new Unit(step, null, render(run, step, null, 0));
        }
        List<PlanItem> plan = progress.plan() == null ? List.of() : progress.plan();
        int index = 0;
        while (index < plan.size() && plan.get(index).status() == StepStatus.COMPLETED) {
            index++;
        }
        if (index == plan.size()) {
            StringBuilder output = new StringBuilder();
            for (PlanItem item : plan) {
                output.append(output.isEmpty() ? "" : "\n\n").append("## ").append(item.text()).append("\n\n")
                        .append(item.output());
            }
            PipelineState done = state.with(step.id(), new StepProgress(StepStatus.COMPLETED, output.toString(),
                    progress.sessionIds(), progress.attempts(), null, plan));
            save(run.with(run.status(), derivePlans(run, done, step.id(), false)
                    .at(state.stepIndex() + 1, state.approvedStep()), null, clock.instant()));
            return null;
        }
        PlanItem item = plan.get(index);
        checkpoint(run, state, before + ", item " + (index + 1) + " of " + plan.size() + ": " + item.text());
        List<PlanItem> marked = new ArrayList<>(plan);
        marked.set(index, item.with(StepStatus.RUNNING, null, item.sessionId()));
        save(run.with(run.status(), state.with(step.id(), new StepProgress(StepStatus.RUNNING, null,
                progress.sessionIds(), 0, null, marked)), null, clock.instant()));
        return new Unit(step, item, render(run, step, item, index + 1));
    }

    /** Runs the unit's agent, trying again as often as the step allows. */
    private Result execute(Driver driver, Unit unit) {
        String error = null;
        for (int attempt = 0; attempt <= unit.step().retries(); attempt++) {
            Session session;
            synchronized (lock(driver.runId)) {
                if (!driver.current()) {
                    return new Result.Abandoned();
                }
                try {
                    session = sessions.create(driver.ownerId, driver.runId + "." + unit.step().id() + "."
                            + Ids.next("s").substring(2, 12), unit.step().agentId());
                } catch (SwitchboardException e) {
                    return new Result.Failed(e.getMessage());
                }
                driver.session = session.id();
                startedAttempt(get(driver.ownerId, driver.runId), unit, session.id(), attempt + 1);
            }
            RunOutcome outcome;
            try {
                Submission submission = engine.submit(session, Content.text(unit.prompt()), "default",
                        Map.of("pipelineId", driver.runId, "stepId", unit.step().id()),
                        new RunOptions(null, List.of(), null, null, unit.step().tools(), null));
                if (!driver.current()) {
                    // paused or stopped while the session was being made: the halt found nothing to cancel yet
                    engine.cancel(session.id(), true);
                }
                outcome = submission.await();
            } catch (InterruptedException e) {
                return new Result.Abandoned();
            } catch (SwitchboardException e) {
                return new Result.Failed(e.getMessage());
            }
            if (!driver.current()) {
                return new Result.Abandoned();
            }
            if (outcome.status() == RunStatus.COMPLETED) {
                return new Result.Done(outcome.text() == null ? "" : outcome.text());
            }
            error = outcome.error() != null ? outcome.error().message()
                    : "The run ended " + outcome.status().wireName() + " (" + outcome.finishReason() + ")";
            if (outcome.status() == RunStatus.CANCELLED) {
                // cancelled through the session's own API: a person meant it, so it is not tried again
                break;
            }
            LOG.info("Pipeline {} step {} attempt {} failed: {}", driver.runId, unit.step().id(), attempt + 1, error);
        }
        return new Result.Failed(error);
    }

    /** Records the session of an attempt as soon as it exists, so that the run's detail leads to it at once. */
    private void startedAttempt(PipelineRun run, Unit unit, String sessionId, int attempt) {
        PipelineState state = run.state();
        StepProgress progress = state.step(unit.step().id());
        List<String> sessionIds = new ArrayList<>(progress.sessionIds());
        sessionIds.add(sessionId);
        List<PlanItem> plan = progress.plan() == null ? null : progress.plan().stream()
                .map(item -> unit.item() != null && item.id().equals(unit.item().id())
                        ? item.with(item.status(), item.output(), sessionId) : item)
                .toList();
        save(run.with(run.status(), state.with(unit.step().id(), new StepProgress(progress.status(), progress.output(),
                sessionIds, attempt, progress.error(), plan)), null, clock.instant()));
    }

    private void record(PipelineRun run, Unit unit, Result result) {
        PipelineState state = run.state();
        StepProgress progress = state.step(unit.step().id());
        switch (result) {
            case Result.Done(String output) when unit.item() == null -> {
                PipelineState done = state.with(unit.step().id(), new StepProgress(StepStatus.COMPLETED,
                        clip(output), progress.sessionIds(), progress.attempts(), null, progress.plan()));
                save(run.with(run.status(), derivePlans(run, done, unit.step().id(), false)
                        .at(state.stepIndex() + 1, state.approvedStep()), null, clock.instant()));
            }
            case Result.Done(String output) -> save(run.with(run.status(), state.with(unit.step().id(),
                    progress.withStatus(StepStatus.PENDING).withPlan(itemDone(progress.plan(), unit.item().id(),
                            StepStatus.COMPLETED, clip(output)))), null, clock.instant()));
            case Result.Failed(String error) -> {
                StepProgress failed = new StepProgress(StepStatus.FAILED, progress.output(), progress.sessionIds(),
                        progress.attempts(), error, unit.item() == null ? progress.plan()
                                : itemDone(progress.plan(), unit.item().id(), StepStatus.FAILED, null));
                save(run.with(PipelineStatus.FAILED, state.with(unit.step().id(), failed), "Step '"
                        + unit.step().id() + "' failed" + (unit.item() == null ? "" : " on item '"
                        + unit.item().text() + "'") + ": " + error, clock.instant()));
            }
            case Result.Abandoned abandoned -> {
            }
        }
    }

    private static List<PlanItem> itemDone(List<PlanItem> plan, String itemId, StepStatus status, String output) {
        return plan.stream().map(item -> item.id().equals(itemId) ? item.with(status, output, item.sessionId())
                : item).toList();
    }

    /** The prompt of a unit, its placeholders filled from the run's inputs and earlier steps' outputs. */
    private static String render(PipelineRun run, PipelineStep step, PlanItem item, int index) {
        return PromptTemplate.render(step.prompt(), reference -> switch (reference) {
            case Reference.Input(String name) -> run.inputs().containsKey(name) ? run.inputs().get(name).text() : "";
            case Reference.StepOutput(String stepId) -> run.state().step(stepId) == null ? ""
                    : run.state().step(stepId).output();
            case Reference.Item ignored -> item == null ? "" : item.text();
            case Reference.Index ignored -> String.valueOf(index);
        });
    }

    /**
     * Gives the {@code foreach} steps that run over {@code sourceId}'s output their plan from it. When
     * {@code onlyUntouched}, a plan already known is replaced only while none of its items has started.
     */
    private static PipelineState derivePlans(PipelineRun run, PipelineState state, String sourceId,
            boolean onlyUntouched) {
        PipelineState out = state;
        for (PipelineStep step : run.steps()) {
            if (!step.isForeach() || !(PromptTemplate.source(step.foreach()) instanceof Reference.StepOutput(
                    String stepId)) || !stepId.equals(sourceId)) {
                continue;
            }
            StepProgress progress = out.step(step.id());
            boolean untouched = progress.plan() == null
                    || progress.plan().stream().allMatch(item -> item.status() == StepStatus.PENDING);
            if (onlyUntouched && !untouched) {
                continue;
            }
            out = out.with(step.id(), progress.withPlan(planOf(PlanItems.parse(out.step(sourceId).output()))));
        }
        return out;
    }

    private static List<PlanItem> planOf(List<String> texts) {
        return texts.stream().limit(MAX_ITEMS)
                .map(text -> new PlanItem(Ids.next("item"), clipItem(text), StepStatus.PENDING, null, null)).toList();
    }

    /** The plan's items that started, in their order, followed by new pending items from {@code texts}. */
    private static List<PlanItem> replacePending(List<PlanItem> plan, List<String> texts, String field) {
        List<PlanItem> kept = new ArrayList<>(plan.stream().filter(item -> item.status() != StepStatus.PENDING)
                .toList());
        if (kept.size() + texts.size() > MAX_ITEMS) {
            throw new InvalidInputException(field, "A plan holds at most " + MAX_ITEMS + " items");
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank() || text.length() > MAX_ITEM) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a text of 1 to " + MAX_ITEM
                        + " characters");
            }
            kept.add(new PlanItem(Ids.next("item"), text.strip(), StepStatus.PENDING, null, null));
        }
        return kept;
    }

    /** Stores a checkpoint of {@code state}, unless the last one holds the same state (a resume at a boundary). */
    private void checkpoint(PipelineRun run, PipelineState state, String label) {
        List<Checkpoint> existing = store.checkpoints(run.id());
        Checkpoint last = existing.isEmpty() ? null : existing.getLast();
        if (last != null && last.state().samePlace(state) && last.label().equals(label)) {
            return;
        }
        store.addCheckpoint(new Checkpoint(Ids.next("cp"), run.id(), last == null ? 1 : last.seq() + 1, label, state,
                clock.instant()));
    }

    /** Sets a status that ends the driving of the run, cancelling its step in progress; the caller holds the lock. */
    private PipelineRun halt(PipelineRun run, PipelineStatus status, String error) {
        Driver driver = drivers.remove(run.id());
        PipelineRun halted = save(run.with(status, run.state().settled(), error, clock.instant()));
        if (driver != null && driver.session != null) {
            engine.cancel(driver.session, true);
        }
        return halted;
    }

    private PipelineRun save(PipelineRun run) {
        store.updateRun(run);
        return run;
    }

    private Checkpoint checkpoint(String runId, String checkpointId) {
        return store.checkpoints(runId).stream().filter(c -> c.id().equals(checkpointId)).findFirst()
                .orElseThrow(() -> new NotFoundException("checkpoint", checkpointId));
    }

    private static PipelineStep stepOf(PipelineRun run, String stepId, String field) {
        return run.steps().stream().filter(s -> s.id().equals(stepId)).findFirst()
                .orElseThrow(() -> new NotFoundException("step", stepId));
    }

    private static PipelineStep foreachStep(PipelineRun run, String stepId, String field) {
        PipelineStep step = stepOf(run, stepId, field);
        if (!step.isForeach()) {
            throw new InvalidInputException(field, "Step '" + stepId + "' has no plan: it is not a foreach step");
        }
        return step;
    }

    private static void requireStatus(PipelineRun run, String action, PipelineStatus... allowed) {
        for (PipelineStatus status : allowed) {
            if (run.status() == status) {
                return;
            }
        }
        throw conflict(run, action, "it is " + run.status().wireName());
    }

    private static ConflictException conflict(PipelineRun run, String action, String why) {
        return new ConflictException("Cannot " + action + " pipeline '" + run.id() + "': " + why,
                Map.of("pipelineId", run.id(), "status", run.status().wireName()));
    }

    private static String clip(String output) {
        return output.length() <= MAX_OUTPUT ? output : output.substring(0, MAX_OUTPUT);
    }

    private static String clipItem(String text) {
        return text.length() <= MAX_ITEM ? text : text.substring(0, MAX_ITEM);
    }

    private Object lock(String runId) {
        return locks.computeIfAbsent(runId, ignored -> new Object());
    }
}
