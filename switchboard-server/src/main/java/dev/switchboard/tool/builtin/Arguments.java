package dev.switchboard.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A tool call's arguments, read defensively: the run checks them against the tool's schema first, but a tool
 * called another way must still answer a wrong argument with a {@link ToolFailure}, never an exception.
 */
final class Arguments {

    static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode node;

    private Arguments(JsonNode node) {
        this.node = node;
    }

    static Arguments parse(String text) {
        JsonNode node;
        try {
            node = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new ToolFailure("the arguments are not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ToolFailure("the arguments must be a JSON object");
        }
        return new Arguments(node);
    }

    String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw new ToolFailure("'" + name + "' is required");
        }
        return value;
    }

    String optionalString(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ToolFailure("'" + name + "' must be a string");
        }
        return value.asText();
    }

    boolean optionalBoolean(String name, boolean fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new ToolFailure("'" + name + "' must be true or false");
        }
        return value.asBoolean();
    }

    /** An optional whole number within {@code [min, max]}, or {@code fallback} when absent. */
    int optionalInt(String name, int fallback, int min, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ToolFailure("'" + name + "' must be a whole number");
        }
        int number = value.asInt();
        if (number < min || number > max) {
            throw new ToolFailure("'" + name + "' must be between " + min + " and " + max);
        }
        return number;
    }

    /** The raw value, or null when absent. */
    JsonNode get(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }
}
