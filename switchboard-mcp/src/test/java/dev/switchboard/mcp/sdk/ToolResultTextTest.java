package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolResultTextTest {

    @Test
    void textPartsAreJoinedAndOtherPartsSummarized() {
        McpSchema.CallToolResult result = new McpSchema.CallToolResult(List.of(
                new McpSchema.TextContent("Here it is:"),
                new McpSchema.ImageContent(null, "iVBORw0KGgo=", "image/png"),
                new McpSchema.AudioContent(null, "AAAA", "audio/wav"),
                new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents("file:///a.txt",
                        "text/plain", "inlined text")),
                new McpSchema.EmbeddedResource(null, new McpSchema.BlobResourceContents("file:///a.gz",
                        "application/gzip", "AAECAw==")),
                new McpSchema.ResourceLink("report", null, "file:///report.pdf", null, "application/pdf", null,
                        null, null)), false, null, null);

        assertThat(ToolResultText.of(result)).isEqualTo(String.join("\n",
                "Here it is:",
                "[image image/png, 8 bytes]",
                "[audio audio/wav, 3 bytes]",
                "inlined text",
                "[resource file:///a.gz, application/gzip, 4 bytes]",
                "[resource link file:///report.pdf (report), application/pdf]"));
    }

    @Test
    void structuredContentIsTheTextWhenThereIsNoOther() {
        McpSchema.CallToolResult result = new McpSchema.CallToolResult(List.of(), false,
                Map.of("temperature", 21), null);

        assertThat(ToolResultText.of(result)).isEqualTo("{\"temperature\":21}");
    }
}
