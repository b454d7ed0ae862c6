package dev.switchboard.hook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rule of one owner: when {@code trigger} happens and every condition holds, run the actions, at most once per
 * cooldown and at most {@code maxExecutions} times in all.
 *
 * @param agentId only events of this agent's sessions set it off; null for any agent
 * @param cron the schedule of a {@link HookTrigger#SCHEDULE} hook, else null
 * @param secretHash SHA-256 (hex) of an incoming ({@link HookTrigger#WEBHOOK}) hook's secret, else null
 * @param maxExecutions null for no limit
 */
public record Hook(String id, String ownerId, String name, String description, HookTrigger trigger,
        String agentId, String cron, List<HookCondition> conditions, List<HookAction> actions, int priority,
        Duration cooldown, Integer maxExecutions, boolean enabled, String secretHash, int executionCount,
        Instant lastExecutedAt, Instant createdAt, Instant updatedAt) {

    public Hook {
        conditions = List.copyOf(conditions);
        actions = List.copyOf(actions);
    }
}
