package dev.switchboard.session;

/** A model's request to run a tool; {@code arguments} is the JSON text the model produced. */
public record ToolCall(String id, String name, String arguments) {
}
