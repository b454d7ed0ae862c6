package dev.switchboard.mcp.sdk;

import dev.switchboard.mcp.McpPromptInfo;
import dev.switchboard.mcp.McpPromptResult;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpResourceContents;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.prompt.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the SDK's MCP schema types into the core's MCP records. */
final class CoreRecords {

    private CoreRecords() {
    }

    static McpToolInfo tool(String server, McpSchema.Tool tool) {
        McpSchema.ToolAnnotations hints = tool.annotations();
        String title = tool.title() != null ? tool.title() : hints == null ? null : hints.title();
        // a server's hints are untrusted: readOnly is shown, it never lowers the tool's risk
        boolean readOnly = hints != null && Boolean.TRUE.equals(hints.readOnlyHint());
        String schema = Json.write(tool.inputSchema() == null ? Map.of("type", "object")
                : tool.inputSchema());
        return new McpToolInfo(server, tool.name(), ToolNames.qualified(server, tool.name()), title,
                tool.description(), schema, readOnly);
    }

    static McpResource resource(String server, McpSchema.Resource resource) {
        return new McpResource(server, resource.uri(), resource.name(), resource.description(),
                resource.mimeType(), resource.size());
    }

    static McpResourceContents contents(McpSchema.ReadResourceResult result) {
        return new McpResourceContents(result.contents().stream().map(CoreRecords::item).toList());
    }

    private static McpResourceContents.Item item(McpSchema.ResourceContents contents) {
        if (contents instanceof McpSchema.BlobResourceContents blob) {
            return new McpResourceContents.Item(blob.uri(), blob.mimeType(), null, blob.blob());
        }
        String text = contents instanceof McpSchema.TextResourceContents t ? t.text() : "";
        return new McpResourceContents.Item(contents.uri(), contents.mimeType(), text, null);
    }

    static McpPromptInfo prompt(String server, McpSchema.Prompt prompt) {
        List<PromptArgument> arguments = prompt.arguments() == null ? List.of() : prompt.arguments().stream()
                .map(a -> new PromptArgument(a.name(), a.description(), Boolean.TRUE.equals(a.required())))
                .toList();
        return new McpPromptInfo(server, prompt.name(), prompt.title(), prompt.description(), arguments);
    }

    static McpPromptResult promptResult(McpSchema.GetPromptResult result) {
        return new McpPromptResult(result.description(),
                result.messages().stream().map(CoreRecords::message).toList());
    }

    private static McpPromptResult.Message message(McpSchema.PromptMessage message) {
        String role = message.role() == null ? "user" : message.role().name().toLowerCase(Locale.ROOT);
        McpSchema.Content content = message.content();
        if (content instanceof McpSchema.TextContent text) {
            return new McpPromptResult.Message(role, "text", text.text(), null, null, null);
        }
        if (content instanceof McpSchema.ImageContent image) {
            return new McpPromptResult.Message(role, "image", null, image.mimeType(), image.data(), null);
        }
        if (content instanceof McpSchema.AudioContent audio) {
            return new McpPromptResult.Message(role, "audio", null, audio.mimeType(), audio.data(), null);
        }
        if (content instanceof McpSchema.EmbeddedResource embedded) {
            McpSchema.ResourceContents resource = embedded.resource();
            String text = resource instanceof McpSchema.TextResourceContents t ? t.text() : null;
            String blob = resource instanceof McpSchema.BlobResourceContents b ? b.blob() : null;
            return new McpPromptResult.Message(role, "resource", text, resource.mimeType(), blob, resource.uri());
        }
        if (content instanceof McpSchema.ResourceLink link) {
            return new McpPromptResult.Message(role, "resource", null, link.mimeType(), null, link.uri());
        }
        return new McpPromptResult.Message(role, "text", ToolResultText.describe(content), null, null, null);
    }
}
