package dev.switchboard.schedule;

import java.time.Instant;

/**
 * The persistent timer behind schedules: one planned firing per schedule, taken by exactly one node of a cluster.
 * When a firing is due the timer calls {@link Firing#fire} and plans the firing it returns.
 */
public interface ScheduleTimer {

    /** What the timer calls when a schedule's firing is due. */
    @FunctionalInterface
    interface Firing {
        /** Runs the schedule; returns its next firing, or null to plan none. */
        Instant fire(String scheduleId, Instant plannedAt);
    }

    /** Plans the schedule's next firing at {@code at}, replacing the planned one; left alone while it fires. */
    void plan(String scheduleId, Instant at);

    /** Plans a firing at {@code at} only when the schedule has none planned. */
    void planIfAbsent(String scheduleId, Instant at);

    /** Removes the schedule's planned firing. */
    void unplan(String scheduleId);

    /** Whether the schedule is firing now, on any node. */
    boolean isFiring(String scheduleId);

    /** The schedules firing now, on any node: one query for a whole list. */
    java.util.Set<String> firing();

    /** Moves the schedule's firing to now; false when it is firing already. */
    boolean fireNow(String scheduleId);
}
