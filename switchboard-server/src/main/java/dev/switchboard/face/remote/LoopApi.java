package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.ScheduleWire;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.schedule.Schedule;
import dev.switchboard.schedule.Schedules;
import io.javalin.http.Context;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Seed 000's {@code /v1/loops}: the caller's schedules as loops (every N minutes, daily or weekly times, or cron),
 * with the agent as {@code profileId} and {@code continueInSession} for runs that continue one conversation.
 */
public final class LoopApi {

    private static final String[] FIELDS = Stream.concat(Stream.of("name", "prompt", "profileId", "agentId",
            "enabled", "runOnStartup", "continueInSession", "maxIterations"), ScheduleWire.TIMING.stream())
            .toArray(String[]::new);

    private final Schedules schedules;

    public LoopApi(Schedules schedules) {
        this.schedules = schedules;
    }

    public void register(Routes routes) {
        routes.get("/v1/loops", this::list)
                .post("/v1/loops", this::create)
                .patch("/v1/loops/{loopId}", this::update)
                .delete("/v1/loops/{loopId}", this::delete)
                .post("/v1/loops/{loopId}/toggle", this::toggle)
                .post("/v1/loops/{loopId}/run", this::run);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        Set<String> running = schedules.running();
        schedules.list(Owner.of(ctx), null).forEach(s -> list.add(
                ScheduleWire.wire(s, running.contains(s.id()), "profileId", "continueInSession")));
        ctx.json(Json.object().set("loops", list));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, FIELDS);
        String agentField = agentField(body);
        Schedule loop = ScheduleWire.naming("agentId", agentField, () -> schedules.create(Owner.of(ctx),
                ScheduleWire.draft(body, agentField, null, "continueInSession")));
        ctx.status(201).json(Json.object().put("success", true).set("loop", wire(loop)));
    }

    private void update(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, FIELDS);
        String agentField = agentField(body);
        Schedule loop = ScheduleWire.naming("agentId", agentField, () -> schedules.update(Owner.of(ctx),
                ctx.pathParam("loopId"), ScheduleWire.change(body, agentField, "continueInSession")));
        ctx.json(Json.object().put("success", true).set("loop", wire(loop)));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("loopId");
        schedules.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("success", true).put("deleted", true).put("id", id));
    }

    private void toggle(Context ctx) {
        String id = ctx.pathParam("loopId");
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "enabled");
        Schedule current = schedules.get(Owner.of(ctx), id);
        Schedule loop = schedules.setEnabled(Owner.of(ctx), id, body.optionalBoolean("enabled", !current.enabled()));
        ctx.json(Json.object().put("success", true).set("loop", wire(loop)));
    }

    private void run(Context ctx) {
        Schedule loop = schedules.runNow(Owner.of(ctx), ctx.pathParam("loopId"));
        ObjectNode out = Json.object().put("success", true).put("started", true);
        out.set("loop", wire(loop));
        ctx.status(202).json(out);
    }

    /** DotAgents names the agent profile {@code profileId}; {@code agentId} is taken too, but not both. */
    private static String agentField(Body body) {
        if (body.get("profileId") != null && body.get("agentId") != null) {
            throw new InvalidInputException("profileId", "give profileId or agentId, not both");
        }
        return body.get("agentId") != null ? "agentId" : "profileId";
    }

    private ObjectNode wire(Schedule loop) {
        return ScheduleWire.wire(loop, schedules.isRunning(loop.id()), "profileId", "continueInSession");
    }
}
