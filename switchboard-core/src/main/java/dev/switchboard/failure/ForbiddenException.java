package dev.switchboard.failure;

import java.util.Map;

/** The caller is known but may not do this from where it asks (for example a foreign {@code Host} or {@code Origin}). */
public final class ForbiddenException extends SwitchboardException {

    public ForbiddenException(String message, Map<String, Object> details) {
        super("forbidden", message, details);
    }
}
