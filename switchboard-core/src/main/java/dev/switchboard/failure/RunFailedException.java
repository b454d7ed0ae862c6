package dev.switchboard.failure;

import java.util.Map;

/** A run the caller waited for failed, typically because the model provider did. */
public final class RunFailedException extends SwitchboardException {

    /** @param runId the failed run, or null when the message never got one (removed from the queue) */
    public RunFailedException(String code, String message, boolean recoverable, String runId) {
        super(code, message, runId == null ? Map.of("recoverable", recoverable)
                : Map.of("recoverable", recoverable, "runId", runId));
    }
}
