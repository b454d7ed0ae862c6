package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.face.api.AgentParam;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolCalls;
import dev.switchboard.tool.ToolOutcome;
import io.javalin.http.Context;

/**
 * The older remote API's MCP routes (seed 001), as aliases over the default agent's servers:
 * {@code GET /mcp/servers} and {@code POST /mcp/execute}.
 */
public final class LegacyMcpApi {

    private final McpConnections mcp;
    private final AgentCatalog agents;
    private final McpToolCalls toolCalls;

    public LegacyMcpApi(McpConnections mcp, AgentCatalog agents, McpToolCalls toolCalls) {
        this.mcp = mcp;
        this.agents = agents;
        this.toolCalls = toolCalls;
    }

    public void register(Routes routes) {
        routes.get("/mcp/servers", this::servers);
        // a direct call skips the agent's permissions and approvals: administrators only
        routes.admin().post("/mcp/execute", this::execute);
    }

    /** A bare array, as seed 001 shows it: {@code [{name, status, tools: [names]}]}. */
    private void servers(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (McpServerState server : mcp.servers(AgentParam.defaultAgent(agents).id())) {
            ObjectNode json = list.addObject().put("name", server.name()).put("status", server.status());
            ArrayNode tools = json.putArray("tools");
            server.tools().forEach(t -> tools.add(t.name()));
            if (server.error() != null) {
                json.put("error", server.error());
            }
        }
        ctx.json(list);
    }

    /** {@code {server, tool, arguments}}: one tool call, answered with its result. */
    private void execute(Context ctx) {
        Body body = Body.of(ctx);
        String server = body.requiredString("server");
        String tool = body.requiredString("tool");
        JsonNode arguments = body.get("arguments");
        if (arguments != null && !arguments.isObject()) {
            throw new InvalidInputException("arguments", "must be a JSON object");
        }
        ToolOutcome outcome = toolCalls.call(Owner.of(ctx), AgentParam.defaultAgent(agents), server, tool,
                arguments == null ? "{}" : Json.write(arguments));
        ObjectNode json = Json.object().put("success", outcome.success());
        if (outcome.success()) {
            json.put("result", outcome.output());
        } else {
            json.put("error", outcome.error());
        }
        ctx.json(json);
    }
}
