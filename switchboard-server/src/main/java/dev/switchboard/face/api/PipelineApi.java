package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.pipeline.Checkpoint;
import dev.switchboard.pipeline.PipelineInput;
import dev.switchboard.pipeline.PipelineRun;
import dev.switchboard.pipeline.PipelineState;
import dev.switchboard.pipeline.PipelineStep;
import dev.switchboard.pipeline.PipelineTemplate;
import dev.switchboard.pipeline.Pipelines;
import dev.switchboard.pipeline.PlanItem;
import dev.switchboard.pipeline.StepProgress;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 002's {@code /api/pipelines}: templates, and runs of them with their stages, plus what the seed leaves out
 * and the issue asks for: start, pause, resume (or rewind to a checkpoint), approval gates, plan and checkpoint edits.
 */
public final class PipelineApi {

    private final Pipelines pipelines;

    public PipelineApi(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    public void register(Routes routes) {
        routes.get("/api/pipelines", this::list)
                .post("/api/pipelines", this::start)
                .get("/api/pipelines/templates", this::templates)
                .post("/api/pipelines/templates", this::createTemplate)
                .get("/api/pipelines/templates/{templateId}", this::template)
                .put("/api/pipelines/templates/{templateId}", this::updateTemplate)
                .delete("/api/pipelines/templates/{templateId}", this::deleteTemplate)
                .get("/api/pipelines/{pipelineId}", this::get)
                .post("/api/pipelines/{pipelineId}/stop", this::stop)
                .post("/api/pipelines/{pipelineId}/pause", this::pause)
                .post("/api/pipelines/{pipelineId}/resume", this::resume)
                .post("/api/pipelines/{pipelineId}/approve", this::approve)
                .put("/api/pipelines/{pipelineId}/plans/{stepId}", this::editPlan)
                .get("/api/pipelines/{pipelineId}/checkpoints", this::checkpoints)
                .patch("/api/pipelines/{pipelineId}/checkpoints/{checkpointId}", this::editCheckpoint);
    }

    // ---- templates

    private void templates(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        pipelines.templates(Owner.of(ctx)).forEach(t -> list.add(wire(t)));
        ObjectNode out = Json.object().put("ok", true);
        out.set("templates", list);
        ctx.json(out);
    }

    private void createTemplate(Context ctx) {
        PipelineTemplate template = pipelines.createTemplate(Owner.of(ctx), draft(Body.of(ctx)));
        ctx.status(201).json(Json.object().put("ok", true).set("template", wire(template)));
    }

    private void template(Context ctx) {
        PipelineTemplate template = pipelines.template(Owner.of(ctx), ctx.pathParam("templateId"));
        ctx.json(Json.object().put("ok", true).set("template", wire(template)));
    }

    private void updateTemplate(Context ctx) {
        String owner = Owner.of(ctx);
        String id = ctx.pathParam("templateId");
        // a caller without the template learns nothing about what their body got wrong
        pipelines.template(owner, id);
        PipelineTemplate template = pipelines.updateTemplate(owner, id, draft(Body.of(ctx)));
        ctx.json(Json.object().put("ok", true).set("template", wire(template)));
    }

    private void deleteTemplate(Context ctx) {
        String id = ctx.pathParam("templateId");
        pipelines.deleteTemplate(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    // ---- runs

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        pipelines.list(Owner.of(ctx)).forEach(run -> list.add(wire(run, null)));
        ObjectNode out = Json.object().put("ok", true);
        out.set("pipelines", list);
        ctx.json(out);
    }

    private void start(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "templateId", "inputs", "name");
        PipelineRun run = pipelines.start(Owner.of(ctx), body.requiredString("templateId"), inputs(body),
                body.optionalString("name"));
        ctx.status(201).json(Json.object().put("ok", true).set("pipeline", wire(run, List.of())));
    }

    private void get(Context ctx) {
        String owner = Owner.of(ctx);
        String id = ctx.pathParam("pipelineId");
        PipelineRun run = pipelines.get(owner, id);
        ctx.json(Json.object().put("ok", true).set("pipeline", wire(run, pipelines.checkpoints(owner, id))));
    }

    private void stop(Context ctx) {
        JsonCheck.onlyFields(Body.of(ctx));
        answer(ctx, pipelines.stop(Owner.of(ctx), ctx.pathParam("pipelineId")));
    }

    private void pause(Context ctx) {
        JsonCheck.onlyFields(Body.of(ctx));
        answer(ctx, pipelines.pause(Owner.of(ctx), ctx.pathParam("pipelineId")));
    }

    private void resume(Context ctx) {
        String owner = Owner.of(ctx);
        String id = ctx.pathParam("pipelineId");
        pipelines.get(owner, id);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "checkpointId");
        answer(ctx, pipelines.resume(owner, id, body.optionalString("checkpointId")));
    }

    private void approve(Context ctx) {
        String owner = Owner.of(ctx);
        String id = ctx.pathParam("pipelineId");
        pipelines.get(owner, id);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "approved", "comment");
        if (body.get("approved") == null || !body.get("approved").isBoolean()) {
            throw new InvalidInputException("approved", "is required: true or false");
        }
        answer(ctx, pipelines.approve(owner, id, body.get("approved").booleanValue(), body.optionalString("comment")));
    }

    private void editPlan(Context ctx) {
        String owner = Owner.of(ctx);
        String id = ctx.pathParam("pipelineId");
        pipelines.get(owner, id);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "items");
        if (body.get("items") == null) {
            throw new InvalidInputException("items", "is required: an array of texts");
        }
        answer(ctx, pipelines.editPlan(owner, id, ctx.pathParam("stepId"), texts(body.get("items"), "items")));
    }

    private void checkpoints(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        pipelines.checkpoints(Owner.of(ctx), ctx.pathParam("pipelineId")).forEach(c -> list.add(wire(c, true)));
        ObjectNode out = Json.object().put("ok", true);
        out.set("checkpoints", list);
        ctx.json(out);
    }

    private void editCheckpoint(Context ctx) {
        String owner = Owner.of(ctx);
        String id = ctx.pathParam("pipelineId");
        pipelines.get(owner, id);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "outputs", "plans");
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : fields(body.get("outputs"), "outputs")) {
            if (!field.getValue().isTextual()) {
                throw new InvalidInputException("outputs." + field.getKey(), "must be a string");
            }
            outputs.put(field.getKey(), field.getValue().asText());
        }
        Map<String, List<String>> plans = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : fields(body.get("plans"), "plans")) {
            plans.put(field.getKey(), texts(field.getValue(), "plans." + field.getKey()));
        }
        if (outputs.isEmpty() && plans.isEmpty()) {
            throw new InvalidInputException("outputs", "name at least one step's output or plan to change");
        }
        Checkpoint checkpoint = pipelines.editCheckpoint(owner, id, ctx.pathParam("checkpointId"), outputs, plans);
        ctx.json(Json.object().put("ok", true).set("checkpoint", wire(checkpoint, true)));
    }

    private void answer(Context ctx, PipelineRun run) {
        ctx.json(Json.object().put("ok", true).set("pipeline", wire(run, null)));
    }

    // ---- reading requests

    private static Pipelines.Draft draft(Body body) {
        JsonCheck.onlyFields(body, "name", "description", "steps");
        JsonNode steps = body.get("steps");
        if (steps == null || !steps.isArray()) {
            throw new InvalidInputException("steps", "is required: an array of steps");
        }
        List<PipelineStep> parsed = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String at = "steps[" + i + "]";
            if (!(steps.get(i) instanceof ObjectNode step)) {
                throw new InvalidInputException(at, "must be an object");
            }
            for (Iterator<String> names = step.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!List.of("id", "agent", "prompt", "tools", "approval", "retries", "foreach").contains(name)) {
                    throw new InvalidInputException(at + "." + name, "unknown field (allowed: id, agent, prompt, "
                            + "tools, approval, retries, foreach)");
                }
            }
            List<String> tools = step.hasNonNull("tools") ? texts(step.get("tools"), at + ".tools") : null;
            JsonNode approval = step.get("approval");
            if (approval != null && !approval.isNull() && !approval.isBoolean()) {
                throw new InvalidInputException(at + ".approval", "must be true or false");
            }
            JsonNode retries = step.get("retries");
            if (retries != null && !retries.isNull() && !retries.canConvertToExactIntegral()) {
                throw new InvalidInputException(at + ".retries", "must be a whole number from 0 to "
                        + Pipelines.MAX_RETRIES);
            }
            parsed.add(new PipelineStep(string(step, "id", at), string(step, "agent", at), string(step, "prompt", at),
                    tools, approval != null && approval.asBoolean(),
                    retries == null || retries.isNull() ? 0 : retries.asInt(), string(step, "foreach", at)));
        }
        return new Pipelines.Draft(body.optionalString("name"), body.optionalString("description"), parsed);
    }

    private static String string(ObjectNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(at + "." + field, "must be a string");
        }
        return value.asText();
    }

    private static Map<String, PipelineInput> inputs(Body body) {
        Map<String, PipelineInput> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : fields(body.get("inputs"), "inputs")) {
            String at = "inputs." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                if (value.asText().length() > Pipelines.MAX_PROMPT) {
                    throw new InvalidInputException(at, "must be at most " + Pipelines.MAX_PROMPT + " characters");
                }
                inputs.put(field.getKey(), new PipelineInput.Text(value.asText()));
            } else if (value.isArray()) {
                List<String> items = texts(value, at);
                if (items.size() > Pipelines.MAX_ITEMS) {
                    throw new InvalidInputException(at, "must list at most " + Pipelines.MAX_ITEMS + " items");
                }
                inputs.put(field.getKey(), new PipelineInput.Items(items));
            } else {
                throw new InvalidInputException(at, "must be a string or an array of strings");
            }
        }
        return inputs;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node, String field) {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new InvalidInputException(field, "must be an object");
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        node.fields().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new InvalidInputException(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a string");
            }
            out.add(node.get(i).asText());
        }
        return out;
    }

    // ---- wire shapes

    static ObjectNode wire(PipelineTemplate template) {
        ObjectNode node = Json.object()
                .put("id", template.id())
                .put("name", template.name())
                .put("description", template.description());
        ArrayNode steps = node.putArray("steps");
        template.steps().forEach(step -> steps.add(wire(step)));
        node.put("createdAt", template.createdAt().toEpochMilli());
        node.put("updatedAt", template.updatedAt().toEpochMilli());
        return node;
    }

    private static ObjectNode wire(PipelineStep step) {
        ObjectNode node = Json.object()
                .put("id", step.id())
                .put("agent", step.agentId())
                .put("prompt", step.prompt());
        if (step.tools() == null) {
            node.putNull("tools");
        } else {
            ArrayNode tools = node.putArray("tools");
            step.tools().forEach(tools::add);
        }
        return node.put("approval", step.approval()).put("retries", step.retries()).put("foreach", step.foreach());
    }

    /** A run; with its checkpoints (labels only) when {@code checkpoints} is not null. */
    static ObjectNode wire(PipelineRun run, List<Checkpoint> checkpoints) {
        PipelineState state = run.state();
        ObjectNode node = Json.object()
                .put("id", run.id())
                .put("templateId", run.templateId())
                .put("name", run.name())
                .put("status", run.status().wireName())
                .put("error", run.error())
                .put("currentStep", state.stepIndex() < run.steps().size()
                        ? run.steps().get(state.stepIndex()).id() : null);
        ObjectNode inputs = node.putObject("inputs");
        run.inputs().forEach((name, input) -> {
            switch (input) {
                case PipelineInput.Text text -> inputs.put(name, text.text());
                case PipelineInput.Items items -> {
                    ArrayNode array = inputs.putArray(name);
                    items.items().forEach(array::add);
                }
            }
        });
        ArrayNode stages = node.putArray("stages");
        for (PipelineStep step : run.steps()) {
            ObjectNode stage = wire(step);
            stages.add(stage);
            wireProgress(stage, state.step(step.id()));
        }
        node.put("createdAt", run.createdAt().toEpochMilli());
        node.put("updatedAt", run.updatedAt().toEpochMilli());
        if (checkpoints != null) {
            ArrayNode list = node.putArray("checkpoints");
            checkpoints.forEach(c -> list.add(wire(c, false)));
        }
        return node;
    }

    private static void wireProgress(ObjectNode stage, StepProgress progress) {
        stage.put("status", progress.status().wireName())
                .put("output", progress.output())
                .put("error", progress.error())
                .put("attempts", progress.attempts());
        ArrayNode sessions = stage.putArray("sessionIds");
        progress.sessionIds().forEach(sessions::add);
        if (progress.plan() == null) {
            stage.putNull("plan");
            return;
        }
        ArrayNode plan = stage.putArray("plan");
        for (PlanItem item : progress.plan()) {
            plan.addObject()
                    .put("id", item.id())
                    .put("text", item.text())
                    .put("status", item.status().wireName())
                    .put("output", item.output())
                    .put("sessionId", item.sessionId());
        }
    }

    /** A checkpoint; with the state it holds (each step's progress) when {@code withState}. */
    static ObjectNode wire(Checkpoint checkpoint, boolean withState) {
        ObjectNode node = Json.object()
                .put("id", checkpoint.id())
                .put("seq", checkpoint.seq())
                .put("label", checkpoint.label())
                .put("stepIndex", checkpoint.state().stepIndex())
                .put("createdAt", checkpoint.createdAt().toEpochMilli());
        if (withState) {
            ArrayNode steps = node.putArray("steps");
            checkpoint.state().steps().forEach((id, progress) -> {
                ObjectNode step = steps.addObject().put("id", id);
                wireProgress(step, progress);
            });
        }
        return node;
    }
}
