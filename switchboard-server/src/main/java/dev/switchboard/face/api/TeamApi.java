package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.team.Bus;
import dev.switchboard.team.BusMessage;
import dev.switchboard.team.Orchestration;
import dev.switchboard.team.SubagentTask;
import io.javalin.http.Context;

/**
 * Seed 003's view of agents working together: {@code /api/bus/messages} (the agent-to-agent messages of the caller's
 * conversations, oldest first) and {@code /api/subagent-tasks} (the tasks their agents handed on, newest first).
 */
public final class TeamApi {

    private final Bus bus;
    private final Orchestration orchestration;

    public TeamApi(Bus bus, Orchestration orchestration) {
        this.bus = bus;
        this.orchestration = orchestration;
    }

    public void register(Routes routes) {
        routes.get("/api/bus/messages", this::messages)
                .get("/api/subagent-tasks", this::tasks);
    }

    private void messages(Context ctx) {
        int limit = AdminApi.intParam(ctx, "limit", 50, 1, 500);
        ArrayNode list = Json.MAPPER.createArrayNode();
        bus.recent(Owner.of(ctx), limit).forEach(m -> list.add(wire(m)));
        ObjectNode json = Json.object();
        json.set("messages", list);
        ctx.json(json);
    }

    private void tasks(Context ctx) {
        int limit = AdminApi.intParam(ctx, "limit", 50, 1, 500);
        ArrayNode list = Json.MAPPER.createArrayNode();
        orchestration.tasks(Owner.of(ctx), limit).forEach(t -> list.add(wire(t)));
        ObjectNode json = Json.object();
        json.set("tasks", list);
        ctx.json(json);
    }

    /** A bus message as the API and the realtime faces ({@code bus:message}) show it. */
    public static ObjectNode wire(BusMessage m) {
        ObjectNode json = Json.object().put("seq", m.seq()).put("id", m.id()).put("fromAgentId", m.fromAgent())
                .put("toAgentId", m.toAgent()).put("kind", m.kind()).put("content", m.content());
        if (m.taskId() != null) {
            json.put("taskId", m.taskId());
        }
        if (m.sessionId() != null) {
            json.put("sessionId", m.sessionId());
        }
        return json.put("timestamp", m.createdAt().toEpochMilli());
    }

    private static ObjectNode wire(SubagentTask t) {
        ObjectNode json = Json.object().put("id", t.id()).put("kind", t.kind()).put("parentAgentId", t.parentAgentId())
                .put("parentSessionId", t.parentSessionId()).put("parentRunId", t.parentRunId())
                .put("agentId", t.agentId()).put("sessionId", t.sessionId()).put("prompt", t.prompt())
                .put("depth", t.depth()).put("status", t.status());
        if (t.result() != null) {
            json.put("result", t.result());
        }
        if (t.error() != null) {
            json.put("error", t.error());
        }
        if (t.estimatedCost() != null) {
            json.put("estimatedCost", t.estimatedCost());
        }
        json.put("createdAt", t.createdAt().toEpochMilli());
        if (t.finishedAt() != null) {
            json.put("finishedAt", t.finishedAt().toEpochMilli());
        }
        return json;
    }
}
