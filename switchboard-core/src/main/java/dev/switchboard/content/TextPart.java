package dev.switchboard.content;

/** Plain text. */
public record TextPart(String text) implements ContentPart {
}
