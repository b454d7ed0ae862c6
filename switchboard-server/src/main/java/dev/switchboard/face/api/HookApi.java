package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.hook.Hook;
import dev.switchboard.hook.HookAction;
import dev.switchboard.hook.HookCondition;
import dev.switchboard.hook.HookExecution;
import dev.switchboard.hook.HookTrigger;
import dev.switchboard.hook.Hooks;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Seed 002's {@code /api/hooks} (CRUD, enable, disable), the execution log and the public incoming webhook
 * {@code POST /api/hooks/incoming/{hookId}}, which carries the hook's secret in {@value #SECRET_HEADER}.
 */
public final class HookApi {

    public static final String SECRET_HEADER = "X-Hook-Secret";
    private static final Set<String> FIELDS = Set.of("name", "description", "trigger", "conditions", "actions",
            "priority", "cooldownSeconds", "maxExecutions", "enabled", "secret");
    private static final int MAX_COOLDOWN_SECONDS = 30 * 24 * 3600;

    private final Hooks hooks;

    public HookApi(Hooks hooks) {
        this.hooks = hooks;
    }

    public void register(Routes routes) {
        routes.get("/api/hooks", this::list)
                .post("/api/hooks", this::create)
                .get("/api/hooks/{hookId}", this::get)
                .put("/api/hooks/{hookId}", this::update)
                .delete("/api/hooks/{hookId}", this::delete)
                .post("/api/hooks/{hookId}/enable", ctx -> enabled(ctx, true))
                .post("/api/hooks/{hookId}/disable", ctx -> enabled(ctx, false))
                .get("/api/hooks/{hookId}/executions", this::executions);
        routes.open().post("/api/hooks/incoming/{hookId}", this::incoming);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        hooks.list(Owner.of(ctx)).forEach(h -> list.add(wire(h)));
        ctx.json(Json.object().set("hooks", list));
    }

    private void create(Context ctx) {
        Hooks.Created created = hooks.create(Owner.of(ctx), draft(Body.of(ctx)));
        ObjectNode json = Json.object().set("hook", wire(created.hook()));
        if (created.generatedSecret() != null) {
            // shown this once: only its hash is stored
            json.put("secret", created.generatedSecret());
            ctx.header("Cache-Control", "no-store");
        }
        ctx.status(201).json(json);
    }

    private void get(Context ctx) {
        ctx.json(Json.object().set("hook", wire(hooks.get(Owner.of(ctx), ctx.pathParam("hookId")))));
    }

    private void update(Context ctx) {
        Hook hook = hooks.update(Owner.of(ctx), ctx.pathParam("hookId"), draft(Body.of(ctx)));
        ctx.json(Json.object().set("hook", wire(hook)));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("hookId");
        hooks.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private void enabled(Context ctx, boolean enabled) {
        ctx.json(Json.object().set("hook", wire(hooks.setEnabled(Owner.of(ctx), ctx.pathParam("hookId"), enabled))));
    }

    private void executions(Context ctx) {
        int limit = AdminApi.intParam(ctx, "limit", 50, 1, 200);
        int offset = AdminApi.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (HookExecution e : hooks.executions(Owner.of(ctx), ctx.pathParam("hookId"), limit, offset)) {
            list.add(wire(e));
        }
        ctx.json(Json.object().set("executions", list));
    }

    private void incoming(Context ctx) {
        Body body = Body.of(ctx);
        Optional<HookExecution> fired = hooks.incoming(ctx.pathParam("hookId"), ctx.header(SECRET_HEADER),
                Hooks.toMap(body.node()));
        ObjectNode json = Json.object().put("ok", true).put("fired", fired.isPresent());
        fired.ifPresent(e -> json.put("executionId", e.id()).put("status", e.status()));
        ctx.json(json);
    }

    // ---- the wire

    static ObjectNode wire(Hook h) {
        ObjectNode node = Json.object()
                .put("id", h.id())
                .put("name", h.name())
                .put("description", h.description());
        ObjectNode trigger = node.putObject("trigger").put("type", h.trigger().wireName());
        if (h.agentId() != null) {
            trigger.put("agentId", h.agentId());
        }
        if (h.cron() != null) {
            trigger.put("cron", h.cron());
        }
        if (h.trigger() == HookTrigger.WEBHOOK) {
            trigger.put("url", "/api/hooks/incoming/" + h.id()).put("secretHeader", SECRET_HEADER);
        }
        ArrayNode conditions = node.putArray("conditions");
        for (HookCondition c : h.conditions()) {
            conditions.addObject().put("field", c.field()).put("operator", c.operator().wireName())
                    .set("value", Json.MAPPER.valueToTree(c.value()));
        }
        ArrayNode actions = node.putArray("actions");
        for (HookAction a : h.actions()) {
            ObjectNode action = actions.addObject().put("type", a.type());
            switch (a) {
                case HookAction.Notify n -> action.put("title", n.title()).put("message", n.message());
                case HookAction.RunAgent r -> action.put("agentId", r.agentId()).put("prompt", r.prompt());
                case HookAction.CallWebhook c -> action.put("url", c.url());
                case HookAction.ExecuteTool t -> action.put("agentId", t.agentId()).put("tool", t.tool())
                        .set("arguments", Wire.jsonOrText(t.arguments()));
            }
        }
        node.put("priority", h.priority())
                .put("cooldownSeconds", h.cooldown().toSeconds());
        if (h.maxExecutions() == null) {
            node.putNull("maxExecutions");
        } else {
            node.put("maxExecutions", h.maxExecutions());
        }
        node.put("enabled", h.enabled())
                .put("executionCount", h.executionCount())
                .put("lastExecutedAt", h.lastExecutedAt() == null ? null : h.lastExecutedAt().toString())
                .put("createdAt", h.createdAt().toString())
                .put("updatedAt", h.updatedAt().toString());
        return node;
    }

    private static ObjectNode wire(HookExecution e) {
        ObjectNode node = Json.object()
                .put("id", e.id())
                .put("hookId", e.hookId())
                .put("trigger", e.trigger())
                .put("status", e.status())
                .put("durationMs", e.durationMs())
                .put("executedAt", e.executedAt().toString());
        node.set("payload", Wire.jsonOrText(e.payload()));
        node.set("results", Wire.jsonOrText(e.results()));
        return node;
    }

    // ---- parsing

    private static Hooks.Draft draft(Body body) {
        JsonCheck.onlyFields(body, FIELDS.toArray(String[]::new));
        String name = body.requiredString("name");
        JsonNode triggerNode = body.get("trigger");
        HookTrigger trigger;
        String agentId = null;
        String cron = null;
        if (triggerNode == null) {
            throw new InvalidInputException("trigger", "is required: one of " + HookTrigger.names());
        } else if (triggerNode.isTextual()) {
            trigger = HookTrigger.of(triggerNode.asText()).orElseThrow(() -> new InvalidInputException("trigger",
                    "unknown trigger '" + triggerNode.asText() + "': one of " + HookTrigger.names()));
        } else if (triggerNode.isObject()) {
            only(triggerNode, "trigger", "type", "agentId", "cron");
            String type = text(triggerNode.get("type"), "trigger.type");
            if (type == null) {
                throw new InvalidInputException("trigger.type", "is required: one of " + HookTrigger.names());
            }
            trigger = HookTrigger.of(type).orElseThrow(() -> new InvalidInputException("trigger.type",
                    "unknown trigger '" + type + "': one of " + HookTrigger.names()));
            agentId = text(triggerNode.get("agentId"), "trigger.agentId");
            cron = text(triggerNode.get("cron"), "trigger.cron");
        } else {
            throw new InvalidInputException("trigger", "must be a trigger name or an object with a type");
        }
        return new Hooks.Draft(name, body.optionalString("description"), trigger, agentId, cron,
                conditions(body.get("conditions")), actions(body.get("actions")),
                integer(body.get("priority"), "priority", 0, -1000, 1000),
                Duration.ofSeconds(integer(body.get("cooldownSeconds"), "cooldownSeconds", 0, 0,
                        MAX_COOLDOWN_SECONDS)),
                body.get("maxExecutions") == null ? null
                        : integer(body.get("maxExecutions"), "maxExecutions", 0, 1, Integer.MAX_VALUE),
                body.optionalBoolean("enabled", true), body.optionalString("secret"));
    }

    private static List<HookCondition> conditions(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException("conditions", "must be an array of {field, operator, value}");
        }
        List<HookCondition> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "conditions[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                throw new InvalidInputException(at, "must be an object {field, operator, value}");
            }
            only(c, at, "field", "operator", "value");
            String field = text(c.get("field"), at + ".field");
            if (field == null || field.isBlank() || field.length() > 200) {
                throw new InvalidInputException(at + ".field", "is required: a dotted path such as "
                        + "payload.finishReason");
            }
            String operator = text(c.get("operator"), at + ".operator");
            HookCondition.Operator op = HookCondition.Operator.of(operator == null ? "" : operator)
                    .orElseThrow(() -> new InvalidInputException(at + ".operator",
                            "must be one of equals, contains, matches, gt, lt, in"));
            JsonNode value = c.get("value");
            if (value == null || value.isNull() || value.isObject()) {
                throw new InvalidInputException(at + ".value", "is required: a string, number, boolean or list");
            }
            out.add(new HookCondition(field, op, Json.MAPPER.convertValue(value, Object.class)));
        }
        return out;
    }

    private static List<HookAction> actions(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new InvalidInputException("actions", "is required: an array of actions (notify, run_agent, "
                    + "call_webhook, execute_tool)");
        }
        List<HookAction> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "actions[" + i + "]";
            JsonNode a = node.get(i);
            if (!a.isObject()) {
                throw new InvalidInputException(at, "must be an object with a type");
            }
            String type = text(a.get("type"), at + ".type");
            out.add(switch (type == null ? "" : type) {
                case "notify" -> {
                    only(a, at, "type", "title", "message");
                    yield new HookAction.Notify(text(a.get("title"), at + ".title"),
                            text(a.get("message"), at + ".message"));
                }
                case "run_agent" -> {
                    only(a, at, "type", "agentId", "prompt");
                    yield new HookAction.RunAgent(text(a.get("agentId"), at + ".agentId"),
                            text(a.get("prompt"), at + ".prompt"));
                }
                case "call_webhook" -> {
                    only(a, at, "type", "url");
                    String url = text(a.get("url"), at + ".url");
                    if (url == null) {
                        throw new InvalidInputException(at + ".url", "is required");
                    }
                    yield new HookAction.CallWebhook(url);
                }
                case "execute_tool" -> {
                    only(a, at, "type", "agentId", "tool", "arguments");
                    String tool = text(a.get("tool"), at + ".tool");
                    if (tool == null) {
                        throw new InvalidInputException(at + ".tool", "is required");
                    }
                    JsonNode arguments = a.get("arguments");
                    if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
                        throw new InvalidInputException(at + ".arguments", "must be an object");
                    }
                    yield new HookAction.ExecuteTool(text(a.get("agentId"), at + ".agentId"), tool,
                            arguments == null || arguments.isNull() ? "{}" : arguments.toString());
                }
                default -> throw new InvalidInputException(at + ".type",
                        "must be one of notify, run_agent, call_webhook, execute_tool");
            });
        }
        return out;
    }

    private static void only(JsonNode node, String at, String... allowed) {
        Set<String> names = Set.of(allowed);
        for (var it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new InvalidInputException(at + "." + name, "unknown field (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field, "must be a string");
        }
        return node.asText();
    }

    private static int integer(JsonNode node, String field, int fallback, int min, int max) {
        if (node == null) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < min || node.intValue() > max) {
            throw new InvalidInputException(field, "must be a whole number from " + min + " to " + max);
        }
        return node.intValue();
    }
}
