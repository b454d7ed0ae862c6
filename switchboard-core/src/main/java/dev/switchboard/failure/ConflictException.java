package dev.switchboard.failure;

import java.util.Map;

/** The request clashes with the current state, for example a session id already taken. */
public final class ConflictException extends SwitchboardException {

    public ConflictException(String message, Map<String, Object> details) {
        super("conflict", message, details);
    }
}
