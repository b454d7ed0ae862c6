package dev.switchboard.content;

/** One part of a message's content: text, an image or a file. */
public sealed interface ContentPart permits TextPart, ImagePart, FilePart {
}
