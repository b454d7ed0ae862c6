package dev.switchboard.failure;

import java.util.Map;

/** The request clashes with the current state, for example a session id already taken. */
public final class ConflictException extends SwitchboardException {

    public ConflictException(String message, Map<String, Object> details) {
        super("conflict", message, details);
    }

    /**
     * A conflict under a more precise code, such as {@code not_available} for an integration this server does
     * not run; the HTTP face maps each such code to 409.
     */
    public ConflictException(String code, String message, Map<String, Object> details) {
        super(code, message, details);
    }
}
