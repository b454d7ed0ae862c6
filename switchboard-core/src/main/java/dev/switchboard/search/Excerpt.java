package dev.switchboard.search;

/**
 * Where a search matched inside a message's text.
 *
 * @param matchedText the matching words as the message wrote them
 * @param context the match with some of the text around it, an ellipsis marking each cut
 */
public record Excerpt(String matchedText, String context) {
}
