package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.config.McpServerConfig;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolCalls;
import dev.switchboard.tool.ToolOutcome;
import io.javalin.http.Context;

/**
 * {@code /api/mcp/servers}: an agent's MCP servers (the default agent's unless {@code agentId} says otherwise),
 * their tools and resources, and direct tool calls. A direct call comes from the operator, so it is not put to
 * the agent's approval policy; its arguments are still checked against the tool's schema.
 */
public final class McpApi {

    private final McpConnections mcp;
    private final AgentCatalog agents;
    private final FileAgentCatalog files;
    private final McpToolCalls toolCalls;

    public McpApi(McpConnections mcp, AgentCatalog agents, FileAgentCatalog files, McpToolCalls toolCalls) {
        this.mcp = mcp;
        this.agents = agents;
        this.files = files;
        this.toolCalls = toolCalls;
    }

    public void register(Routes routes) {
        routes.get("/api/mcp/servers", this::list)
                .get("/api/mcp/servers/{serverId}", this::get)
                .get("/api/mcp/servers/{serverId}/tools", this::tools)
                .get("/api/mcp/servers/{serverId}/resources", this::resources)
                .get("/api/mcp/servers/{serverId}/resources/{resourceId}/content", this::resourceContent);
        // servers start processes and reach networks for every user, and a direct call skips the agent's
        // permissions and approvals: administrators only
        routes.admin()
                .post("/api/mcp/servers", this::add)
                .put("/api/mcp/servers/{serverId}", this::update)
                .delete("/api/mcp/servers/{serverId}", this::remove)
                .post("/api/mcp/servers/{serverId}/restart", this::restart)
                .post("/api/mcp/servers/{serverId}/tools/{toolName}/execute", this::execute);
    }

    private void list(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ArrayNode servers = Json.MAPPER.createArrayNode();
        java.util.Set<String> declared = files.declaredMcpServers(agent.id());
        mcp.servers(agent.id()).forEach(s -> servers.add(McpWire.server(s, declared.contains(s.name()))));
        ctx.json(Json.object().put("agentId", agent.id()).set("servers", servers));
    }

    private void add(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "name", "config", "persistToAgent", "agentId");
        String name = McpServerConfig.name(body.requiredString("name"), "name");
        McpServerDeclaration declaration = McpServerConfig.fromJson(body.get("config"), "config");
        boolean persist = body.optionalBoolean("persistToAgent", false);
        AgentDefinition agent = AgentParam.fromBody(body, agents);
        McpServerState state = mcp.add(agent.id(), name, declaration);
        if (persist) {
            files.saveMcpServer(agent.id(), name, declaration);
            state = mcp.server(agent.id(), name);
        }
        ctx.status(201).json(Json.object()
                .put("status", state.status())
                .put("name", name)
                .put("persisted", persist)
                .set("server", wire(state)));
    }

    private void get(Context ctx) {
        ctx.json(Json.object().set("server", wire(state(ctx))));
    }

    /** Replaces the declaration and reconnects; a server from the agent's file is changed in the file too. */
    private void update(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "config", "persistToAgent");
        McpServerState current = state(ctx);
        McpServerDeclaration declaration = McpServerConfig.fromJson(body.get("config"), "config");
        boolean persist = body.optionalBoolean("persistToAgent",
                files.declaredMcpServers(current.agentId()).contains(current.name()));
        McpServerState updated = mcp.update(current.agentId(), current.name(), declaration);
        if (persist) {
            files.saveMcpServer(current.agentId(), current.name(), declaration);
        }
        ctx.json(Json.object().put("status", updated.status()).put("name", updated.name())
                .set("server", wire(updated)));
    }

    /** Disconnects and forgets the server, and takes it out of the agent's file when it came from there. */
    private void remove(Context ctx) {
        McpServerState current = state(ctx);
        mcp.remove(current.agentId(), current.name());
        boolean fromFile = files.removeMcpServer(current.agentId(), current.name());
        ctx.json(Json.object().put("removed", true).put("name", current.name()).put("removedFromAgentFile", fromFile));
    }

    private void restart(Context ctx) {
        McpServerState current = state(ctx);
        McpServerState restarted = mcp.restart(current.agentId(), current.name());
        ctx.json(Json.object().put("status", restarted.status()).put("name", restarted.name())
                .set("server", wire(restarted)));
    }

    private void tools(Context ctx) {
        McpServerState server = state(ctx);
        ArrayNode tools = Json.MAPPER.createArrayNode();
        mcp.toolsOf(server.agentId(), server.name()).forEach(t -> tools.add(McpWire.tool(t)));
        ctx.json(Json.object().set("tools", tools));
    }

    private void execute(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ToolOutcome outcome = toolCalls.call(Owner.of(ctx), agent, ctx.pathParam("serverId"),
                ctx.pathParam("toolName"), Json.write(Body.of(ctx).node()));
        ObjectNode json = Json.object().put("success", outcome.success());
        if (outcome.success()) {
            json.put("data", outcome.output());
        } else {
            json.putNull("data").put("error", outcome.error());
        }
        ctx.json(json);
    }

    private void resources(Context ctx) {
        McpServerState server = state(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (McpResource resource : mcp.resources(server.agentId(), server.name())) {
            list.add(McpWire.resource(resource, false));
        }
        ctx.json(Json.object().put("success", true).set("resources", list));
    }

    private void resourceContent(Context ctx) {
        McpServerState server = state(ctx);
        String uri = ctx.pathParam("resourceId");
        if (uri.isBlank()) {
            throw new InvalidInputException("resourceId", "must not be empty");
        }
        ObjectNode data = Json.object();
        data.set("content", McpWire.contents(mcp.readResource(server.agentId(), server.name(), uri)));
        ctx.json(Json.object().put("success", true).set("data", data));
    }

    private McpServerState state(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        return mcp.server(agent.id(), ctx.pathParam("serverId"));
    }

    private JsonNode wire(McpServerState state) {
        return McpWire.server(state, files.declaredMcpServers(state.agentId()).contains(state.name()));
    }
}
