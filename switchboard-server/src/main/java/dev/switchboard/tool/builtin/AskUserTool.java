package dev.switchboard.tool.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.util.Map;

/** {@code ask_user}: asks the person behind the conversation a question mid-run and waits for the answer. */
public final class AskUserTool extends BuiltInTool {

    /** The form shown when the model asks a free question: one text field. */
    static final Map<String, Object> FREE_ANSWER = Map.of("type", "object",
            "properties", Map.of("answer", Map.of("type", "string", "title", "Answer")),
            "required", java.util.List.of("answer"));

    public AskUserTool() {
        super("ask_user", ToolRisk.READS, """
                Asks the user a question and waits for the answer, for when you cannot go on without their \
                decision or information. Without schema the user answers in free text, returned as \
                {"answer": "..."}. With schema (a JSON Schema of type object whose properties are strings, \
                numbers, booleans or enums) the user fills in a form and you get its fields as JSON. If the user \
                declines, you get an error saying so.""", """
                {"type":"object","properties":{\
                "question":{"type":"string","minLength":1,"description":"the question, shown to the user as is"},\
                "schema":{"type":"object","description":"optional JSON Schema (type object) of the form to fill in",\
                "properties":{"type":{"const":"object"},"properties":{"type":"object"}},"required":["type"]}},\
                "required":["question"],"additionalProperties":false}""");
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        String question = arguments.requiredString("question");
        JsonNode schemaNode = arguments.get("schema");
        Map<String, Object> schema = FREE_ANSWER;
        if (schemaNode != null) {
            if (!schemaNode.isObject() || !"object".equals(schemaNode.path("type").asText())) {
                throw new ToolFailure("'schema' must be a JSON Schema object with \"type\": \"object\"");
            }
            schema = Arguments.JSON.convertValue(schemaNode, new TypeReference<Map<String, Object>>() { });
        }
        ApprovalDecision decision = context.interaction().elicit(question, schema, Map.of("source", "ask_user"));
        if (!decision.approved()) {
            String reason = decision.reason() == null || decision.reason().isBlank() ? "no reason given"
                    : decision.reason();
            return ToolOutcome.failure(switch (decision.status()) {
                case CANCELLED -> "The question was cancelled: " + reason;
                default -> "The user did not answer (declined): " + reason;
            });
        }
        try {
            return ToolOutcome.success(Arguments.JSON.writeValueAsString(
                    decision.formData() == null ? Map.of() : decision.formData()));
        } catch (JsonProcessingException e) {
            return ToolOutcome.failure("the answer could not be turned into JSON: " + e.getOriginalMessage());
        }
    }
}
