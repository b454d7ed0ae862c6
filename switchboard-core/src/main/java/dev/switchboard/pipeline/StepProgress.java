package dev.switchboard.pipeline;

import java.util.List;

/**
 * How far one step of a run got.
 *
 * @param output the answer of the step's run (for a {@code foreach} step, the items' answers in plan order)
 * @param sessionIds the sessions of the step's runs, oldest first (one per attempt and per item)
 * @param attempts how many runs of the step (or of its current item) were tried
 * @param plan the items of a {@code foreach} step once its plan is known; null otherwise
 */
public record StepProgress(StepStatus status, String output, List<String> sessionIds, int attempts, String error,
        List<PlanItem> plan) {

    public StepProgress {
        sessionIds = List.copyOf(sessionIds);
        plan = plan == null ? null : List.copyOf(plan);
    }

    public static final StepProgress PENDING = new StepProgress(StepStatus.PENDING, null, List.of(), 0, null, null);

    public StepProgress withStatus(StepStatus newStatus) {
        return new StepProgress(newStatus, output, sessionIds, attempts, error, plan);
    }

    public StepProgress withPlan(List<PlanItem> newPlan) {
        return new StepProgress(status, output, sessionIds, attempts, error, newPlan);
    }
}
