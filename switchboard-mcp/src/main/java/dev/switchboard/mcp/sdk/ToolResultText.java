package dev.switchboard.mcp.sdk;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceLink;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model reads of an MCP tool result: text parts as they are, other parts summarized in one bracketed line
 * (a model cannot use base64 bytes, but should know they were there), structured content as JSON when there is no
 * text.
 */
final class ToolResultText {

    private ToolResultText() {
    }

    static String of(McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            parts.add(describe(content));
        }
        String text = String.join("\n", parts);
        if (text.isBlank() && result.structuredContent() != null) {
            return Json.write(result.structuredContent());
        }
        return text;
    }

    static String describe(McpSchema.Content content) {
        if (content instanceof TextContent text) {
            return text.text();
        }
        if (content instanceof ImageContent image) {
            return "[image " + image.mimeType() + ", " + decodedSize(image.data()) + " bytes]";
        }
        if (content instanceof AudioContent audio) {
            return "[audio " + audio.mimeType() + ", " + decodedSize(audio.data()) + " bytes]";
        }
        if (content instanceof EmbeddedResource embedded) {
            return describe(embedded.resource());
        }
        if (content instanceof ResourceLink link) {
            return "[resource link " + link.uri() + (link.name() == null ? "" : " (" + link.name() + ")")
                    + (link.mimeType() == null ? "" : ", " + link.mimeType()) + "]";
        }
        return "[" + content.type() + " content]";
    }

    private static String describe(ResourceContents resource) {
        if (resource instanceof TextResourceContents text) {
            return text.text();
        }
        if (resource instanceof BlobResourceContents blob) {
            return "[resource " + blob.uri() + (blob.mimeType() == null ? "" : ", " + blob.mimeType()) + ", "
                    + decodedSize(blob.blob()) + " bytes]";
        }
        return "[resource " + resource.uri() + "]";
    }

    /** The byte count of base64 text, without decoding it. */
    static long decodedSize(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return 0;
        }
        String trimmed = base64.strip();
        int padding = trimmed.endsWith("==") ? 2 : trimmed.endsWith("=") ? 1 : 0;
        return (long) trimmed.length() * 3 / 4 - padding;
    }
}
