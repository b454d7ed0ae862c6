package dev.switchboard.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where tasks and their push targets are kept. Every read is scoped to the owner. */
public interface TaskStore {

    void create(Task task);

    Optional<Task> find(String ownerId, String id);

    /** The task whoever owns it; for the server's own bookkeeping, never for a caller's request. */
    Optional<Task> byId(String id);

    /** The owner's tasks, newest first, filtered by context and state where those are not null. */
    List<Task> list(String ownerId, String contextId, TaskState state, int limit, int offset);

    /** How many tasks {@link #list} would give without its limit. */
    int count(String ownerId, String contextId, TaskState state);

    /** Moves the task to {@code state} with its answer and error; false when it had ended already. */
    boolean update(String id, TaskState state, String answer, String error, Instant at);

    /** Every task that has not ended, whoever owns it, oldest first; for the server's recovery at start. */
    List<Task> unfinished();

    void addPushTarget(PushTarget target);

    /** The task's push targets, oldest first. */
    List<PushTarget> pushTargets(String ownerId, String taskId);

    boolean deletePushTarget(String ownerId, String taskId, String id);
}
