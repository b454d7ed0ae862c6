package dev.switchboard.failure;

import java.util.Map;

/** A client sent something that cannot be accepted; names the offending field. */
public final class InvalidInputException extends SwitchboardException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super("invalid_input", message, field == null ? Map.of() : Map.of("field", field));
        this.field = field;
    }

    /** The field at fault, as a dotted path ({@code llm.model}), or null when the whole input is. */
    public String field() {
        return field;
    }
}
