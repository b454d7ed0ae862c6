package dev.switchboard.llm.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.switchboard.llm.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the core's tool specs, whose parameters are JSON Schema text, into LangChain4j tool specifications. */
final class ToolSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolSchemas() {
    }

    static List<ToolSpecification> toSpecifications(List<ToolSpec> tools) {
        List<ToolSpecification> specs = new ArrayList<>(tools.size());
        for (ToolSpec tool : tools) {
            specs.add(ToolSpecification.builder()
                    .name(tool.name())
                    .description(tool.description())
                    .parameters(parse(tool.parametersSchema()))
                    .build());
        }
        return specs;
    }

    /** The schema of a tool's parameters; an absent or non-object schema becomes an object without properties. */
    static JsonObjectSchema parse(String schemaJson) {
        if (schemaJson == null || schemaJson.isBlank()) {
            return JsonObjectSchema.builder().build();
        }
        JsonNode root;
        try {
            root = JSON.readTree(schemaJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool parameters are not valid JSON Schema: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            return JsonObjectSchema.builder().build();
        }
        JsonSchemaElement element = element(root);
        JsonObjectSchema object = element instanceof JsonObjectSchema o ? o : JsonObjectSchema.builder().build();
        Map<String, JsonSchemaElement> definitions = definitions(root);
        if (!definitions.isEmpty()) {
            object = object.toBuilder().definitions(definitions).build();
        }
        return object;
    }

    private static Map<String, JsonSchemaElement> definitions(JsonNode root) {
        Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
        for (String key : List.of("$defs", "definitions")) {
            JsonNode defs = root.get(key);
            if (defs != null && defs.isObject()) {
                defs.properties().forEach(e -> definitions.put(e.getKey(), element(e.getValue())));
            }
        }
        return definitions;
    }

    private static JsonSchemaElement element(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new JsonStringSchema();
        }
        String description = text(node, "description");
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            return JsonReferenceSchema.builder().reference(ref.substring(ref.lastIndexOf('/') + 1)).build();
        }
        if (node.has("enum") && node.get("enum").isArray()) {
            List<String> values = new ArrayList<>();
            node.get("enum").forEach(v -> values.add(v.asText()));
            return JsonEnumSchema.builder().enumValues(values).description(description).build();
        }
        for (String union : List.of("anyOf", "oneOf")) {
            JsonNode options = node.get(union);
            if (options != null && options.isArray()) {
                List<JsonSchemaElement> elements = new ArrayList<>();
                options.forEach(option -> elements.add(element(option)));
                return JsonAnyOfSchema.builder().anyOf(elements).description(description).build();
            }
        }
        return switch (type(node)) {
            case "object" -> object(node, description);
            case "array" -> JsonArraySchema.builder()
                    .items(node.has("items") ? element(node.get("items")) : new JsonStringSchema())
                    .description(description)
                    .build();
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            case "number" -> JsonNumberSchema.builder().description(description).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description).build();
            case "null" -> new JsonNullSchema();
            default -> JsonStringSchema.builder().description(description).build();
        };
    }

    private static JsonObjectSchema object(JsonNode node, String description) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder().description(description);
        JsonNode properties = node.get("properties");
        if (properties != null && properties.isObject()) {
            properties.properties().forEach(e -> builder.addProperty(e.getKey(), element(e.getValue())));
        }
        JsonNode required = node.get("required");
        if (required != null && required.isArray()) {
            List<String> names = new ArrayList<>();
            required.forEach(r -> names.add(r.asText()));
            builder.required(names);
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && additional.isBoolean()) {
            builder.additionalProperties(additional.asBoolean());
        }
        return builder.build();
    }

    /** The schema's type; for a list such as {@code ["string", "null"]} the first that is not null. */
    private static String type(JsonNode node) {
        JsonNode type = node.get("type");
        if (type == null) {
            if (node.has("properties")) {
                return "object";
            }
            return node.has("items") ? "array" : "string";
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        return type.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
