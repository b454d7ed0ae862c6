package dev.switchboard.failure;

import java.util.Map;

/** A client sent something that cannot be accepted; names the offending field. */
public final class InvalidInputException extends SwitchboardException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super("invalid_input", message, field == null ? Map.of() : Map.of("field", field));
        this.field = field;
    }

    /** Several fields at fault: {@code field} names the first, {@code extra} (such as every field) joins the details. */
    public InvalidInputException(String field, String message, Map<String, Object> extra) {
        super("invalid_input", message, merged(field, extra));
        this.field = field;
    }

    private static Map<String, Object> merged(String field, Map<String, Object> extra) {
        Map<String, Object> details = new java.util.LinkedHashMap<>(extra);
        if (field != null) {
            details.put("field", field);
        }
        return details;
    }

    /** The field at fault, as a dotted path ({@code llm.model}), or null when the whole input is. */
    public String field() {
        return field;
    }
}
