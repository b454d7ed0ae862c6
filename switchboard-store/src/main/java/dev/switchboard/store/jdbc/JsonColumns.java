package dev.switchboard.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.ContentPart;
import dev.switchboard.content.FilePart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.prompt.PromptArgument;
import dev.switchboard.session.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON text stored in content, tool call and metadata columns; the core has no JSON library of its own. */
final class JsonColumns {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private JsonColumns() {
    }

    static String writeContent(List<ContentPart> parts) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ContentPart part : parts) {
            ObjectNode node = array.addObject();
            switch (part) {
                case TextPart text -> {
                    node.put("type", "text");
                    putIfPresent(node, "text", text.text());
                }
                case ImagePart image -> {
                    node.put("type", "image");
                    putIfPresent(node, "mimeType", image.mimeType());
                    putIfPresent(node, "blobId", image.blobId());
                    putIfPresent(node, "url", image.url());
                }
                case FilePart file -> {
                    node.put("type", "file");
                    putIfPresent(node, "mimeType", file.mimeType());
                    putIfPresent(node, "filename", file.filename());
                    putIfPresent(node, "blobId", file.blobId());
                }
            }
        }
        return write(array);
    }

    static List<ContentPart> readContent(String json) {
        if (json == null) {
            return List.of();
        }
        JsonNode array = read(json);
        List<ContentPart> parts = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            String type = text(node, "type");
            parts.add(switch (type == null ? "" : type) {
                case "text" -> new TextPart(text(node, "text"));
                case "image" -> new ImagePart(text(node, "mimeType"), text(node, "blobId"), text(node, "url"));
                case "file" -> new FilePart(text(node, "mimeType"), text(node, "filename"), text(node, "blobId"));
                default -> throw new IllegalStateException("Stored content has a part of unknown type '" + type + "'");
            });
        }
        return parts;
    }

    /** Null for no calls, which is most messages. */
    static String writeToolCalls(List<ToolCall> calls) {
        if (calls.isEmpty()) {
            return null;
        }
        ArrayNode array = MAPPER.createArrayNode();
        for (ToolCall call : calls) {
            ObjectNode node = array.addObject();
            putIfPresent(node, "id", call.id());
            putIfPresent(node, "name", call.name());
            // kept as the model's exact text, which need not even be valid JSON
            putIfPresent(node, "arguments", call.arguments());
        }
        return write(array);
    }

    static List<ToolCall> readToolCalls(String json) {
        if (json == null) {
            return List.of();
        }
        JsonNode array = read(json);
        List<ToolCall> calls = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            calls.add(new ToolCall(text(node, "id"), text(node, "name"), text(node, "arguments")));
        }
        return calls;
    }

    static String writeMetadata(Map<String, String> metadata) {
        return metadata.isEmpty() ? null : write(MAPPER.valueToTree(metadata));
    }

    static Map<String, String> readMetadata(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored metadata is not valid JSON", e);
        }
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** A JSON array of strings; an empty list is {@code []}. */
    static String writeStrings(List<String> strings) {
        return write(MAPPER.valueToTree(strings == null ? List.of() : strings));
    }

    static List<String> readStrings(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored list is not valid JSON", e);
        }
    }

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** A JSON object of any values (approval metadata, form data); null for an empty one. */
    static String writeObject(Map<String, Object> object) {
        return object == null || object.isEmpty() ? null : write(MAPPER.valueToTree(object));
    }

    static Map<String, Object> readObject(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored object is not valid JSON", e);
        }
    }

    static String writeArguments(List<PromptArgument> arguments) {
        if (arguments.isEmpty()) {
            return null;
        }
        ArrayNode array = MAPPER.createArrayNode();
        for (PromptArgument argument : arguments) {
            ObjectNode node = array.addObject().put("name", argument.name()).put("required", argument.required());
            putIfPresent(node, "description", argument.description());
        }
        return write(array);
    }

    static List<PromptArgument> readArguments(String json) {
        if (json == null) {
            return List.of();
        }
        List<PromptArgument> arguments = new ArrayList<>();
        for (JsonNode node : read(json)) {
            arguments.add(new PromptArgument(text(node, "name"), text(node, "description"),
                    node.path("required").asBoolean(false)));
        }
        return arguments;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write JSON", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored column is not valid JSON", e);
        }
    }
}
