package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolOrigin;
import dev.switchboard.tool.ToolRegistry;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /api/tools} (an agent's tools from every source, with counts) and {@code GET /api/discovery}. */
public final class ToolApi {

    private final AgentCatalog agents;
    private final AgentTools agentTools;
    private final ToolRegistry builtIns;
    private final String database;

    /** @param database the database the store runs on: {@code sqlite} or {@code postgresql} */
    public ToolApi(AgentCatalog agents, AgentTools agentTools, ToolRegistry builtIns, String database) {
        this.agents = agents;
        this.agentTools = agentTools;
        this.builtIns = builtIns;
        this.database = database;
    }

    public void register(Routes routes) {
        routes.get("/api/tools", this::tools).get("/api/discovery", this::discovery);
    }

    private void tools(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        List<Tool> tools = agentTools.of(agent);
        ArrayNode list = Json.MAPPER.createArrayNode();
        int internal = 0;
        int mcp = 0;
        for (Tool tool : tools) {
            list.add(McpWire.anyTool(tool));
            if (ToolOrigin.MCP.equals(tool.origin().source())) {
                mcp++;
            } else {
                internal++;
            }
        }
        ctx.json(Json.object()
                .put("agentId", agent.id())
                .<ObjectNode>set("tools", list)
                .put("totalCount", tools.size())
                .put("internalCount", internal)
                .put("customCount", 0)
                .put("mcpCount", mcp));
    }

    /** What the server can be configured with: stores, and the built-in tools an agent may list. */
    private void discovery(Context ctx) {
        ObjectNode json = Json.object();
        json.putArray("blob").add(provider("local", "blob", "Local folder",
                "Files under the home's data/blobs folder"));
        ArrayNode databases = json.putArray("database");
        databases.add(provider("sqlite", "database", "SQLite", "An embedded database file in the home folder")
                .put("active", "sqlite".equals(database)));
        databases.add(provider("postgresql", "database", "PostgreSQL", "For many users and many nodes")
                .put("active", "postgresql".equals(database)));
        json.putArray("compaction");
        json.putArray("customTools");
        ArrayNode internal = json.putArray("internalTools");
        for (Tool tool : builtIns.all()) {
            internal.addObject().put("name", tool.spec().name())
                    .put("description", tool.spec().description())
                    .put("risk", tool.risk().name().toLowerCase(java.util.Locale.ROOT));
        }
        ctx.json(json);
    }

    private static ObjectNode provider(String type, String category, String name, String description) {
        ObjectNode json = Json.object().put("type", type).put("category", category);
        json.putObject("metadata").put("displayName", name).put("description", description);
        return json;
    }
}
