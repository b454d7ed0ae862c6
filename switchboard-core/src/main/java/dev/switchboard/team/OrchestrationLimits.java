package dev.switchboard.team;

/**
 * How far a conversation's agent may hand work on.
 *
 * @param maxDepth levels of delegation below a conversation's agent (1: its workers may not delegate further)
 * @param maxTasks tasks one conversation's run may start, its workers' tasks included
 * @param maxCostUsd what the workers of one run may spend together, in US dollars; no new task starts beyond it
 */
public record OrchestrationLimits(int maxDepth, int maxTasks, double maxCostUsd) {

    public static final OrchestrationLimits DEFAULTS = new OrchestrationLimits(3, 16, 5.0);

    public OrchestrationLimits {
        if (maxDepth < 1 || maxTasks < 1 || maxCostUsd <= 0) {
            throw new IllegalArgumentException("orchestration limits must be positive");
        }
    }
}
