package dev.switchboard.failure;

import java.util.Map;

/** Something the request needs has not been set up by the operator, such as an LLM provider key. */
public final class NotConfiguredException extends SwitchboardException {

    public NotConfiguredException(String message, Map<String, Object> details) {
        super("not_configured", message, details);
    }
}
