package dev.switchboard.pipeline;

/**
 * One item of the plan a {@code foreach} step runs over.
 *
 * @param sessionId the session of the item's last run, null before it ran
 */
public record PlanItem(String id, String text, StepStatus status, String output, String sessionId) {

    public PlanItem with(StepStatus newStatus, String newOutput, String newSessionId) {
        return new PlanItem(id, text, newStatus, newOutput, newSessionId);
    }
}
