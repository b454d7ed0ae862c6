package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookAttempt;
import dev.switchboard.webhook.Webhooks;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 004's {@code /api/webhooks}: register, list, get, delete and test an owner's webhooks, plus the delivery log
 * ({@code /api/webhooks/{webhookId}/deliveries}) with every attempt. The secret goes in and never comes out.
 */
public final class WebhookApi {

    private final Webhooks webhooks;

    public WebhookApi(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    public void register(Routes routes) {
        routes.get("/api/webhooks", this::list)
                .post("/api/webhooks", this::create)
                .get("/api/webhooks/{webhookId}", this::get)
                .delete("/api/webhooks/{webhookId}", this::delete)
                .post("/api/webhooks/{webhookId}/test", this::test)
                .get("/api/webhooks/{webhookId}/deliveries", this::deliveries);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        webhooks.list(Owner.of(ctx)).forEach(w -> list.add(wire(w)));
        ctx.json(Json.object().set("webhooks", list));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "url", "secret", "description", "events");
        String url = body.requiredString("url");
        Webhook webhook = webhooks.register(Owner.of(ctx), url, body.optionalString("secret"),
                body.optionalString("description"), events(body));
        ctx.status(201).json(Json.object().set("webhook", wire(webhook)));
    }

    private void get(Context ctx) {
        ctx.json(Json.object().set("webhook", wire(webhooks.get(Owner.of(ctx), ctx.pathParam("webhookId")))));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("webhookId");
        webhooks.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private void test(Context ctx) {
        Webhooks.TestResult result = webhooks.test(Owner.of(ctx), ctx.pathParam("webhookId"));
        ObjectNode json = Json.object().put("test", "completed");
        ObjectNode out = json.putObject("result").put("success", result.success());
        if (result.statusCode() == null) {
            out.putNull("statusCode");
        } else {
            out.put("statusCode", result.statusCode());
        }
        out.put("responseTime", result.responseTimeMs());
        if (result.error() != null) {
            out.put("error", result.error());
        }
        ctx.json(json);
    }

    private void deliveries(Context ctx) {
        int limit = AdminApi.intParam(ctx, "limit", 50, 1, 200);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Webhooks.DeliveryLog log : webhooks.deliveries(Owner.of(ctx), ctx.pathParam("webhookId"), limit)) {
            var d = log.delivery();
            ObjectNode node = list.addObject()
                    .put("id", d.id())
                    .put("event", d.event())
                    .put("status", d.status().wireName())
                    .put("attempts", d.attempts())
                    .put("createdAt", d.createdAt().toEpochMilli())
                    .put("updatedAt", d.updatedAt().toEpochMilli());
            if (d.status() == dev.switchboard.webhook.WebhookDelivery.Status.PENDING) {
                node.put("nextAttemptAt", d.nextAttemptAt().toEpochMilli());
            }
            ArrayNode attempts = node.putArray("attemptLog");
            for (WebhookAttempt a : log.attempts()) {
                ObjectNode attempt = attempts.addObject().put("attempt", a.attempt());
                if (a.statusCode() == null) {
                    attempt.putNull("statusCode");
                } else {
                    attempt.put("statusCode", a.statusCode());
                }
                attempt.put("success", a.succeeded()).put("error", a.error()).put("durationMs", a.durationMs())
                        .put("at", a.at().toEpochMilli());
            }
        }
        ctx.json(Json.object().set("deliveries", list));
    }

    static ObjectNode wire(Webhook w) {
        ObjectNode node = Json.object()
                .put("id", w.id())
                .put("url", w.url())
                .put("description", w.description());
        ArrayNode events = node.putArray("events");
        (w.events().isEmpty() ? Webhook.DEFAULT_EVENTS : w.events()).forEach(events::add);
        return node.put("signed", w.sealedSecret() != null)
                .put("createdAt", w.createdAt().toString());
    }

    private static List<String> events(Body body) {
        JsonNode events = body.get("events");
        if (events == null) {
            return List.of();
        }
        if (!events.isArray()) {
            throw new InvalidInputException("events", "must be an array of event names");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).isTextual()) {
                throw new InvalidInputException("events[" + i + "]", "must be a string");
            }
            out.add(events.get(i).asText());
        }
        return out;
    }
}
