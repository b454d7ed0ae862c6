package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.schedule.Schedule;
import dev.switchboard.schedule.Schedules;
import io.javalin.http.Context;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Schedules through {@code /api/schedules} (create, list, read, change, delete, trigger) and seed 003's per-agent
 * {@code /api/agents/{agentId}/scheduled-tasks} with {@code /api/scheduled-tasks/{scheduledTaskId}}: one store, one shape.
 */
public final class ScheduleApi {

    private static final String[] FIELDS = Stream.concat(Stream.of("name", "prompt", "agentId", "enabled",
            "runOnStartup", "sameSession", "maxIterations"), ScheduleWire.TIMING.stream()).toArray(String[]::new);
    private static final String[] TASK_FIELDS = Stream.of(FIELDS).filter(f -> !f.equals("agentId"))
            .toArray(String[]::new);

    private final Schedules schedules;
    private final AgentCatalog agents;

    public ScheduleApi(Schedules schedules, AgentCatalog agents) {
        this.schedules = schedules;
        this.agents = agents;
    }

    public void register(Routes routes) {
        routes.get("/api/schedules", this::list)
                .post("/api/schedules", this::create)
                .get("/api/schedules/{scheduleId}", this::get)
                .patch("/api/schedules/{scheduleId}", this::update)
                .delete("/api/schedules/{scheduleId}", this::delete)
                .post("/api/schedules/{scheduleId}/trigger", this::trigger)
                .get("/api/agents/{agentId}/scheduled-tasks", this::listOfAgent)
                .post("/api/agents/{agentId}/scheduled-tasks", this::createForAgent)
                .delete("/api/scheduled-tasks/{scheduledTaskId}", this::deleteTask);
    }

    private void list(Context ctx) {
        String agentId = ctx.queryParam("agentId");
        ctx.json(Json.object().put("ok", true).set("schedules", listed(Owner.of(ctx), agentId)));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, FIELDS);
        Schedule schedule = schedules.create(Owner.of(ctx), ScheduleWire.draft(body, "agentId", null, "sameSession"));
        ctx.status(201).json(Json.object().put("ok", true).set("schedule", wire(schedule)));
    }

    private void get(Context ctx) {
        ctx.json(Json.object().put("ok", true).set("schedule",
                wire(schedules.get(Owner.of(ctx), ctx.pathParam("scheduleId")))));
    }

    private void update(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, FIELDS);
        Schedule schedule = schedules.update(Owner.of(ctx), ctx.pathParam("scheduleId"),
                ScheduleWire.change(body, "agentId", "sameSession"));
        ctx.json(Json.object().put("ok", true).set("schedule", wire(schedule)));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("scheduleId");
        schedules.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private void trigger(Context ctx) {
        Schedule schedule = schedules.runNow(Owner.of(ctx), ctx.pathParam("scheduleId"));
        ctx.status(202).json(Json.object().put("ok", true).put("triggered", true).set("schedule", wire(schedule)));
    }

    private void listOfAgent(Context ctx) {
        ctx.json(Json.object().put("ok", true).set("tasks", listed(Owner.of(ctx), agent(ctx))));
    }

    private void createForAgent(Context ctx) {
        String agentId = agent(ctx);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, TASK_FIELDS);
        Schedule schedule = schedules.create(Owner.of(ctx), ScheduleWire.draft(body, "agentId", agentId,
                "sameSession"));
        ctx.status(201).json(Json.object().put("ok", true).set("task", wire(schedule)));
    }

    private void deleteTask(Context ctx) {
        String id = ctx.pathParam("scheduledTaskId");
        schedules.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private ArrayNode listed(String ownerId, String agentId) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        Set<String> running = schedules.running();
        schedules.list(ownerId, agentId).forEach(s -> list.add(
                ScheduleWire.wire(s, running.contains(s.id()), "agentId", "sameSession")));
        return list;
    }

    private String agent(Context ctx) {
        String id = ctx.pathParam("agentId");
        return agents.find(id).orElseThrow(() -> new NotFoundException("agent", id)).id();
    }

    private com.fasterxml.jackson.databind.node.ObjectNode wire(Schedule schedule) {
        return ScheduleWire.wire(schedule, schedules.isRunning(schedule.id()), "agentId", "sameSession");
    }
}
