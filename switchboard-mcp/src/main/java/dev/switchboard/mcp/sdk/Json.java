package dev.switchboard.mcp.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.util.Map;

/** The one JSON mapper of the adapter, shared with the SDK's transports. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final McpJsonMapper MCP = new JacksonMcpJsonMapper(MAPPER);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a JSON object; blank text is the empty object (models send nothing for tools without parameters).
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    static Map<String, Object> readObject(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> value = MAPPER.readValue(text, new TypeReference<>() { });
            if (value == null) {
                throw new IllegalArgumentException("expected a JSON object, got null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
