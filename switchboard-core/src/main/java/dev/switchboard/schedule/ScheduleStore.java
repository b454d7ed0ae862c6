package dev.switchboard.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where schedules are kept; the calls of users are scoped to one owner, the timer's are not. */
public interface ScheduleStore {

    void add(Schedule schedule);

    /** Replaces the definition (not the run record) of the owner's schedule; false when there is none. */
    boolean update(Schedule schedule);

    Optional<Schedule> find(String ownerId, String id);

    /** The schedule whatever its owner: for the timer, which fires schedules of every user. */
    Optional<Schedule> find(String id);

    /** The owner's schedules, of one agent when {@code agentId} is not null, oldest first. */
    List<Schedule> list(String ownerId, String agentId);

    /** Every user's enabled schedules, for start-up. */
    List<Schedule> enabled();

    /** False when the owner has no such schedule. */
    boolean delete(String ownerId, String id);

    /** Records a finished (or skipped) run and the next planned firing. */
    void recordRun(String id, ScheduleResult result, boolean ran, Instant nextRunAt);

    /** Records the next planned firing (null when none is planned). */
    void recordNext(String id, Instant nextRunAt);
}
