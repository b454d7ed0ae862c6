package dev.switchboard.mcp;

import java.util.List;

/** What reading a resource returned: one or more items, each text or base64 bytes. */
public record McpResourceContents(List<Item> contents) {

    public McpResourceContents {
        contents = List.copyOf(contents);
    }

    /** One item; exactly one of {@code text} and {@code blob} (base64) is set. */
    public record Item(String uri, String mimeType, String text, String blob) {
    }
}
