package dev.switchboard.schedule;

import java.time.ZoneId;

/**
 * Recurring jobs by key on the persistent, cluster-safe scheduler: each tick runs on exactly one node, and a job
 * never overlaps itself. Every node registers the same keys (hooks with a {@code schedule} trigger, for example).
 */
public interface Scheduler {

    /**
     * Runs {@code job} at each tick of {@code cron} in {@code zone}, replacing any job of the same key.
     *
     * @throws dev.switchboard.failure.InvalidInputException ({@code cron}) when the expression is not valid
     */
    void recurring(String key, String cron, ZoneId zone, Runnable job);

    /** Stops the job of this key; nothing happens when there is none. */
    void cancel(String key);
}
