package dev.switchboard.failure;

import java.util.Map;

/** A run the caller waited for failed, typically because the model provider did. */
public final class RunFailedException extends SwitchboardException {

    public RunFailedException(String code, String message, boolean recoverable, String runId) {
        super(code, message, Map.of("recoverable", recoverable, "runId", runId));
    }
}
