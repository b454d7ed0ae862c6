package dev.switchboard.face.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import io.javalin.http.Context;
import java.util.Set;

/** A request's JSON object body, with getters that name the offending field when a value is wrong. */
public final class Body {

    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    /** Parses the body; an empty body counts as {@code {}}. */
    public static Body of(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return new Body(Json.object());
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "malformed JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw new InvalidInputException("body", "unreadable body");
        }
        if (parsed == null || parsed.isNull() || parsed.isMissingNode()) {
            return new Body(Json.object());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new InvalidInputException("body", "must be a JSON object");
        }
        return new Body(object);
    }

    /** A JSON object that arrived some other way than as a request body (a WebSocket frame, a Socket.IO event). */
    public static Body of(ObjectNode node) {
        return new Body(node);
    }

    public JsonNode get(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    public String requiredString(String field) {
        String value = optionalString(field);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required and must be a non-empty string");
        }
        return value;
    }

    public String optionalString(String field) {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "must be a string");
        }
        return value.asText();
    }

    /** An optional string that must be one of {@code allowed}. */
    public String optionalEnum(String field, Set<String> allowed) {
        String value = optionalString(field);
        if (value != null && !allowed.contains(value)) {
            throw new InvalidInputException(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    public boolean optionalBoolean(String field, boolean fallback) {
        JsonNode value = get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field, "must be true or false");
        }
        return value.booleanValue();
    }

    public ObjectNode node() {
        return node;
    }
}
