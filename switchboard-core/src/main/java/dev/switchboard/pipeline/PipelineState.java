package dev.switchboard.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run needs to go on from where it is: a checkpoint stores one of these, and resuming from the
 * checkpoint makes it the run's state again.
 *
 * @param stepIndex the step the run is at (the steps' count once it finished)
 * @param approvedStep the step whose approval gate was passed, -1 for none
 * @param steps the progress of each step, by step id, in the template's order
 */
public record PipelineState(int stepIndex, int approvedStep, Map<String, StepProgress> steps) {

    public PipelineState {
        steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    public StepProgress step(String stepId) {
        return steps.get(stepId);
    }

    public PipelineState with(String stepId, StepProgress progress) {
        Map<String, StepProgress> changed = new LinkedHashMap<>(steps);
        changed.put(stepId, progress);
        return new PipelineState(stepIndex, approvedStep, changed);
    }

    public PipelineState at(int newStepIndex, int newApprovedStep) {
        return new PipelineState(newStepIndex, newApprovedStep, steps);
    }

    /** The state with the work in progress (a step or item marked running) back to pending: a step boundary. */
    public PipelineState settled() {
        Map<String, StepProgress> changed = new LinkedHashMap<>();
        steps.forEach((id, progress) -> {
            StepProgress p = progress.status() == StepStatus.RUNNING ? progress.withStatus(StepStatus.PENDING)
                    : progress;
            if (p.plan() != null) {
                p = p.withPlan(p.plan().stream().map(item -> item.status() == StepStatus.RUNNING
                        ? item.with(StepStatus.PENDING, item.output(), item.sessionId()) : item).toList());
            }
            changed.put(id, p);
        });
        return new PipelineState(stepIndex, approvedStep, changed);
    }

    /**
     * Whether both states stand at the same place with the same work done and planned: the sessions and attempts
     * that led there do not count.
     */
    public boolean samePlace(PipelineState other) {
        return other != null && withoutHistory().equals(other.withoutHistory());
    }

    private PipelineState withoutHistory() {
        Map<String, StepProgress> changed = new LinkedHashMap<>();
        steps.forEach((id, p) -> changed.put(id, new StepProgress(p.status(), p.output(), java.util.List.of(), 0, null,
                p.plan() == null ? null
                        : p.plan().stream().map(item -> item.with(item.status(), item.output(), null)).toList())));
        return new PipelineState(stepIndex, approvedStep, changed);
    }
}
