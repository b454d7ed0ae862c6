package dev.switchboard.failure;

import java.util.Map;

/** The named thing does not exist (or is not visible to the caller). */
public final class NotFoundException extends SwitchboardException {

    public NotFoundException(String kind, String id) {
        super("not_found", kind + " '" + id + "' not found", Map.of("kind", kind, "id", id));
    }

    public NotFoundException(String message, Map<String, Object> details) {
        super("not_found", message, details);
    }
}
