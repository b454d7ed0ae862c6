package dev.switchboard.mcp;

import java.util.List;

/** A prompt filled in by its server: messages made of text, images and embedded resources. */
public record McpPromptResult(String description, List<Message> messages) {

    public McpPromptResult {
        messages = List.copyOf(messages);
    }

    /**
     * One message part.
     *
     * @param type {@code text}, {@code image}, {@code audio} or {@code resource}
     * @param data base64 bytes of an image or audio part, or a resource's blob
     * @param uri an embedded resource's URI
     */
    public record Message(String role, String type, String text, String mimeType, String data, String uri) {
    }
}
