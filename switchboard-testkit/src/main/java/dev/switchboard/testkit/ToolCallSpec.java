package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * One tool call a scripted reply makes; a null {@code id} is filled in per wire ({@code call_<n>} or {@code toolu_<n>};
 * Gemini sends none).
 */
public record ToolCallSpec(String id, String name, String argumentsJson) {

    public ToolCallSpec {
        Objects.requireNonNull(name, "name");
        argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
    }

    /** The arguments as a JSON object for wires that send one; malformed scripted JSON goes out as a string, as-is. */
    JsonNode argumentsNode(ObjectMapper json) {
        try {
            return json.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(argumentsJson);
        }
    }
}
