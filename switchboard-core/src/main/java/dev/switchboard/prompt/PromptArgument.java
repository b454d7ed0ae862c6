package dev.switchboard.prompt;

/** One argument a prompt takes, filled into its {@code {{name}}} placeholders. */
public record PromptArgument(String name, String description, boolean required) {
}
