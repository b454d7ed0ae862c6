package dev.switchboard.task;

import java.time.Instant;

/**
 * One message a remote agent sent to one of ours (A2A's "task"), answered by an ordinary run.
 *
 * @param contextId the session the run happens in; later tasks of the same context continue its conversation
 * @param messageId the id of the queued user message, which names the run that answers it
 * @param clientMessageId the message id the client gave, echoed in the task's history
 * @param request the text the client sent
 * @param answer the agent's answer once completed (or the part written before a cancel), else null
 * @param error why the task failed, else null
 */
public record Task(String id, String ownerId, String contextId, String agentId, String messageId,
        String clientMessageId, TaskState state, String request, String answer, String error, Instant createdAt,
        Instant updatedAt) {

    /** This task in {@code next} state, with the answer and error given. */
    public Task with(TaskState next, String newAnswer, String newError, Instant at) {
        return new Task(id, ownerId, contextId, agentId, messageId, clientMessageId, next, request, newAnswer,
                newError, createdAt, at);
    }
}
