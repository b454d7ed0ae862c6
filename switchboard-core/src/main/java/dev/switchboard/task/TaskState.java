package dev.switchboard.task;

/** Where an agent-to-agent task stands; the last three never change again. */
public enum TaskState {
    SUBMITTED, WORKING, COMPLETED, CANCELED, FAILED;

    /** Whether the task has ended: it cannot be cancelled or followed any more. */
    public boolean terminal() {
        return this == COMPLETED || this == CANCELED || this == FAILED;
    }
}
