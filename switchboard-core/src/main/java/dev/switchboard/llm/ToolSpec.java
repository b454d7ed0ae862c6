package dev.switchboard.llm;

/** A tool as the model sees it; {@code parametersSchema} is a JSON Schema object as JSON text. */
public record ToolSpec(String name, String description, String parametersSchema) {
}
