package dev.switchboard.context;

/**
 * One part of a run's system prompt.
 *
 * @param title a short heading, such as {@code Relevant memories}
 * @param priority higher sections are kept first when the budget is tight
 */
public record ContextSection(String title, String text, int priority) {
}
