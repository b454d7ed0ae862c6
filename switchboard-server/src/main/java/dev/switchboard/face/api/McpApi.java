package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.config.McpServerConfig;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/mcp/servers}: an agent's MCP servers (the default agent's unless {@code agentId} says otherwise),
 * their tools and resources, and direct tool calls. A direct call comes from the operator, so it is not put to
 * the agent's approval policy; its arguments are still checked against the tool's schema.
 */
public final class McpApi {

    private final McpConnections mcp;
    private final AgentCatalog agents;
    private final FileAgentCatalog files;
    private final ArgumentCheck argumentCheck;

    public McpApi(McpConnections mcp, AgentCatalog agents, FileAgentCatalog files, ArgumentCheck argumentCheck) {
        this.mcp = mcp;
        this.agents = agents;
        this.files = files;
        this.argumentCheck = argumentCheck;
    }

    public void register(Routes routes) {
        routes.get("/api/mcp/servers", this::list)
                .post("/api/mcp/servers", this::add)
                .get("/api/mcp/servers/{serverId}", this::get)
                .put("/api/mcp/servers/{serverId}", this::update)
                .delete("/api/mcp/servers/{serverId}", this::remove)
                .post("/api/mcp/servers/{serverId}/restart", this::restart)
                .get("/api/mcp/servers/{serverId}/tools", this::tools)
                .post("/api/mcp/servers/{serverId}/tools/{toolName}/execute", this::execute)
                .get("/api/mcp/servers/{serverId}/resources", this::resources)
                .get("/api/mcp/servers/{serverId}/resources/{resourceId}/content", this::resourceContent);
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
        McpServerState server = state(ctx);
        String toolName = ctx.pathParam("toolName");
        McpToolInfo tool = mcp.toolsOf(server.agentId(), server.name()).stream()
                .filter(t -> t.name().equals(toolName) || t.qualifiedName().equals(toolName))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("tool", toolName));
        Body body = Body.of(ctx);
        String arguments = Json.write(body.node());
        List<String> problems = argumentCheck.problems(tool.inputSchema(), arguments);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(ArgumentProblems.field(problems.getFirst()), String.join("; ", problems));
        }
        if (!server.connected()) {
            throw new UpstreamException("MCP server '" + server.name() + "' is " + server.status()
                    + (server.error() == null ? "" : ": " + server.error()), Map.of("server", server.name()));
        }
        AgentDefinition agent = agents.find(server.agentId()).orElseThrow();
        ToolOutcome outcome = mcp.call(server.agentId(), server.name(), tool.name(), arguments,
                new ToolContext(Owner.of(ctx), agent.id(), null, null, Ids.next("call"), new Cancellation(),
                        agent.workspace(), ToolInteraction.NONE));
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
