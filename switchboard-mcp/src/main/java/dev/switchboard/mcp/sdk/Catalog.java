package dev.switchboard.mcp.sdk;

import dev.switchboard.mcp.McpPromptInfo;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpToolInfo;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools, resources and prompts one live connection offers, as last listed. The SDK re-lists after each
 * {@code list_changed} notification and hands the new list to these consumers.
 */
final class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final String server;
    private final AtomicReference<List<McpToolInfo>> tools = new AtomicReference<>();
    private final AtomicReference<List<McpResource>> resources = new AtomicReference<>();
    private final AtomicReference<List<McpPromptInfo>> prompts = new AtomicReference<>();

    Catalog(String server) {
        this.server = server;
    }

    List<McpToolInfo> tools() {
        return orEmpty(tools.get());
    }

    List<McpResource> resources() {
        return orEmpty(resources.get());
    }

    List<McpPromptInfo> prompts() {
        return orEmpty(prompts.get());
    }

    void toolsChanged(List<McpSchema.Tool> listed) {
        tools.set(listed.stream().map(t -> CoreRecords.tool(server, t)).toList());
        log.debug("MCP server '{}' now offers {} tools", server, listed.size());
    }

    void resourcesChanged(List<McpSchema.Resource> listed) {
        resources.set(listed.stream().map(r -> CoreRecords.resource(server, r)).toList());
        log.debug("MCP server '{}' now offers {} resources", server, listed.size());
    }

    void promptsChanged(List<McpSchema.Prompt> listed) {
        prompts.set(listed.stream().map(p -> CoreRecords.prompt(server, p)).toList());
        log.debug("MCP server '{}' now offers {} prompts", server, listed.size());
    }

    /**
     * The first listing after connecting, for what the server has. A list that a {@code list_changed} consumer
     * already set is newer than this one and is kept.
     */
    void load(McpSyncClient client) {
        McpSchema.ServerCapabilities capabilities = client.getServerCapabilities();
        List<McpToolInfo> listedTools = capabilities.tools() == null ? List.of()
                : client.listTools().tools().stream().map(t -> CoreRecords.tool(server, t)).toList();
        tools.compareAndSet(null, listedTools);
        List<McpResource> listedResources = capabilities.resources() == null ? List.of()
                : client.listResources().resources().stream().map(r -> CoreRecords.resource(server, r)).toList();
        resources.compareAndSet(null, listedResources);
        List<McpPromptInfo> listedPrompts = capabilities.prompts() == null ? List.of()
                : client.listPrompts().prompts().stream().map(p -> CoreRecords.prompt(server, p)).toList();
        prompts.compareAndSet(null, listedPrompts);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
