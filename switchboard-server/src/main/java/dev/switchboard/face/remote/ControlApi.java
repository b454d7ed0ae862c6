package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.face.api.AgentParam;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.run.RunEngine;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The remote client API's controls (seed 000): {@code /v1/emergency-stop} (and its resume), {@code /v1/settings}
 * (and seed 001's {@code GET /settings}) and {@code /v1/mcp/servers}.
 */
public final class ControlApi {

    private final RunEngine engine;
    private final RemoteSettings settings;
    private final McpConnections mcp;
    private final FileAgentCatalog agents;
    private final AuditLog audit;

    public ControlApi(RunEngine engine, RemoteSettings settings, McpConnections mcp, FileAgentCatalog agents,
            AuditLog audit) {
        this.engine = engine;
        this.settings = settings;
        this.mcp = mcp;
        this.agents = agents;
        this.audit = audit;
    }

    public void register(Routes routes) {
        routes.get("/v1/settings", this::settings)
                .get("/settings", this::settings)
                .get("/v1/mcp/servers", this::servers);
        routes.admin()
                .post("/v1/emergency-stop", this::stop)
                .post("/v1/emergency-stop/resume", this::resume)
                .patch("/v1/settings", this::updateSettings)
                .post("/v1/mcp/servers/{serverName}/toggle", this::toggle);
    }

    /**
     * Cancels every run of every user (their provider calls are closed) and holds every queue: messages sent
     * meanwhile are stored and queued, and start only after {@code POST /v1/emergency-stop/resume}.
     */
    private void stop(Context ctx) {
        RunEngine.EmergencyStop result = engine.stopAll();
        ArrayNode stopped = Json.MAPPER.createArrayNode();
        result.stopped().forEach(r -> stopped.addObject().put("sessionId", r.sessionId()).put("runId", r.runId()));
        audit.record(AuditEvent.of("emergency.stop", Owner.of(ctx), "server", null, "success",
                Map.of("stoppedRuns", String.valueOf(result.stopped().size()),
                        "pausedQueues", String.valueOf(result.pausedQueues()))).withIp(ClientAddress.of(ctx)));
        ObjectNode json = Json.object().put("success", true);
        json.set("stopped", stopped);
        json.put("pausedQueues", result.pausedQueues()).put("paused", true);
        ctx.json(json);
    }

    private void resume(Context ctx) {
        boolean wasPaused = engine.isPaused();
        int resumed = engine.resumeAll();
        audit.record(AuditEvent.of("emergency.resume", Owner.of(ctx), "server", null, "success",
                Map.of("resumedQueues", String.valueOf(resumed))).withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("success", true).put("wasPaused", wasPaused).put("resumedQueues", resumed)
                .put("paused", false));
    }

    private void settings(Context ctx) {
        ctx.json(settings.current());
    }

    private void updateSettings(Context ctx) {
        ctx.json(settings.update(Body.of(ctx).node(), Owner.principal(ctx), ClientAddress.of(ctx)));
    }

    /** Seed 000's shape: {@code {servers: [{name, status, enabled, toolCount, error}]}} of one agent. */
    private void servers(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (McpServerState server : mcp.servers(agent.id())) {
            list.add(server(server));
        }
        ctx.json(Json.object().put("agentId", agent.id()).set("servers", list));
    }

    /**
     * Flips the server's {@code enabled} (or sets it from {@code {enabled}}): a disabled server is disconnected
     * and its tools leave the agent. A server from the agent's file is changed in the file too.
     */
    private void toggle(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "enabled");
        McpServerState current = mcp.server(agent.id(), ctx.pathParam("serverName"));
        McpServerDeclaration d = current.declaration();
        boolean enabled = body.optionalBoolean("enabled", !d.enabled());
        McpServerDeclaration changed = new McpServerDeclaration(d.type(), d.command(), d.args(), d.env(), d.url(),
                d.headers(), d.timeoutMs(), d.connectionMode(), enabled);
        McpServerState updated = mcp.update(agent.id(), current.name(), changed);
        if (agents.declaredMcpServers(agent.id()).contains(current.name())) {
            agents.saveMcpServer(agent.id(), current.name(), changed);
        }
        audit.record(AuditEvent.of("mcp.toggle", Owner.of(ctx), "mcp_server", agent.id() + "/" + current.name(),
                "success", Map.of("enabled", String.valueOf(enabled))).withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("success", true).set("server", server(updated)));
    }

    private static ObjectNode server(McpServerState s) {
        ObjectNode json = Json.object()
                .put("name", s.name())
                .put("status", s.status())
                .put("enabled", s.declaration().enabled())
                .put("toolCount", s.tools().size());
        if (s.error() != null) {
            json.put("error", s.error());
        } else {
            json.putNull("error");
        }
        return json;
    }
}
