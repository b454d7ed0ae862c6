package dev.switchboard.team;

import java.time.Instant;
import java.util.List;

/** Where the bus's messages and the subagent tasks are kept; lookups never see another owner's rows. */
public interface TeamStore {

    /** Stores the message and returns it with its sequence number. */
    BusMessage append(BusMessage message);

    /** The owner's last {@code limit} bus messages, oldest first. */
    List<BusMessage> recentMessages(String ownerId, int limit);

    void createTask(SubagentTask task);

    /** Records how a task ended. */
    void finishTask(String taskId, String status, String result, String error, Double estimatedCost,
            Instant finishedAt);

    /** The owner's last {@code limit} tasks, newest first. */
    List<SubagentTask> tasks(String ownerId, int limit);
}
