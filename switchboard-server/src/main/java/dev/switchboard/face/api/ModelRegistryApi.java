package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import dev.switchboard.model.Models;
import dev.switchboard.model.RegisteredModel;
import dev.switchboard.model.TopicRoute;
import dev.switchboard.session.Message;
import dev.switchboard.vault.SecretReferences;
import dev.switchboard.content.Content;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Seed 002's model registry ({@code /api/models}): named model bindings, the default model, topic routes with a
 * primary and a backup, the health the server saw of each model's calls, and a connectivity test. Reading is for any
 * signed-in caller; changes are for administrators, the models being the whole server's.
 */
public final class ModelRegistryApi {

    private final Models models;
    private final LlmClient llm;
    private final SecretReferences secrets;
    private final Clock clock;

    public ModelRegistryApi(Models models, LlmClient llm, SecretReferences secrets, Clock clock) {
        this.models = models;
        this.llm = llm;
        this.secrets = secrets;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get("/api/models", this::list)
                .get("/api/models/{name}", ctx -> ctx.json(wire(require(ctx.pathParam("name")))))
                .get("/api/models/routing", this::routing)
                .get("/api/models/health", this::health);
        routes.admin()
                .post("/api/models", this::create)
                .patch("/api/models/{name}", this::update)
                .delete("/api/models/{name}", this::delete)
                .post("/api/models/{name}/default", this::setDefault)
                .put("/api/models/routing/{topic}", this::route)
                .delete("/api/models/routing/{topic}", this::unroute)
                .post("/api/models/test", this::test)
                // seed 003's check of a model and key before they are saved is the same call
                .post("/api/test-model", this::test);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        models.store().registered().forEach(m -> list.add(wire(m)));
        ObjectNode body = Json.object();
        body.set("models", list);
        body.put("defaultModel", defaultName().orElse(null));
        ctx.json(body);
    }

    private void create(Context ctx) {
        RegisteredModel saved = models.register(read(Body.of(ctx), true));
        ctx.status(201).json(wire(saved));
    }

    private void update(Context ctx) {
        RegisteredModel saved = models.updateRegistered(ctx.pathParam("name"), read(Body.of(ctx), false));
        ctx.json(wire(saved));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        models.deleteRegistered(name);
        ctx.json(Json.object().put("deleted", true).put("name", name));
    }

    private void setDefault(Context ctx) {
        TopicRoute route = models.setDefault(ctx.pathParam("name"));
        ctx.json(Json.object().put("defaultModel", route.primary()).set("route", wire(route)));
    }

    private void routing(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        models.store().routes().forEach(r -> list.add(wire(r)));
        ctx.json(Json.object().set("routes", list));
    }

    private void route(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "primary", "backup");
        TopicRoute route = models.route(ctx.pathParam("topic"), body.optionalString("primary"),
                body.optionalString("backup"));
        ctx.json(wire(route));
    }

    private void unroute(Context ctx) {
        String topic = ctx.pathParam("topic");
        if (!models.store().deleteRoute(topic)) {
            throw new NotFoundException("route", topic);
        }
        ctx.json(Json.object().put("deleted", true).put("topic", topic));
    }

    private void health(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (RegisteredModel m : models.store().registered()) {
            // OpenRouter is called through its OpenAI-compatible API and reported under that name
            String provider = "openrouter".equals(m.provider()) ? Providers.OPENAI_COMPATIBLE : m.provider();
            ObjectNode json = list.addObject().put("name", m.name()).put("provider", m.provider())
                    .put("model", m.model());
            Optional<Models.Health> seen = models.health(provider, m.model());
            json.put("status", seen.map(Models.Health::status).orElse("unknown"));
            seen.ifPresent(h -> json.put("calls", h.calls()).put("failures", h.failures())
                    .put("consecutiveFailures", h.consecutiveFailures())
                    .put("lastSuccessAt", h.lastSuccessAt() == null ? null : h.lastSuccessAt().toString())
                    .put("lastFailureAt", h.lastFailureAt() == null ? null : h.lastFailureAt().toString())
                    .put("lastError", h.lastError()).put("lastStatus", h.lastStatus()));
        }
        ctx.json(Json.object().put("healthy", list.valueStream().noneMatch(m -> "down".equals(m.path("status")
                .asText()))).set("models", list));
    }

    /**
     * Calls the model once with a tiny prompt, with the key given (used for this call only, never stored or shown)
     * or the provider's stored one, so an administrator sees that it answers before registering it.
     */
    private void test(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "provider", "model", "baseURL", "apiKey");
        String provider = Models.checkProvider(body.optionalString("provider"));
        String model = body.requiredString("model").strip();
        models.checkModel(provider, model);
        String baseUrl = body.optionalString("baseURL") == null ? null
                : Models.checkUrl(body.optionalString("baseURL"), "baseURL");
        String key = body.optionalString("apiKey");
        String wireProvider = provider;
        if ("openrouter".equals(provider)) {
            wireProvider = Providers.OPENAI_COMPATIBLE;
            baseUrl = baseUrl == null ? "https://openrouter.ai/api/v1" : baseUrl;
        }
        if (Providers.OPENAI_COMPATIBLE.equals(wireProvider) && baseUrl == null) {
            throw new InvalidInputException("baseURL", "baseURL is required for provider 'openai-compatible'");
        }
        if (key == null && models.hasKey(provider)) {
            key = models.keyFor(provider);
        }
        LlmSettings settings = new LlmSettings(wireProvider, model, key, baseUrl, 1, null, 16, null, null, 30, 0);
        long started = clock.millis();
        ObjectNode result = Json.object().put("provider", provider).put("model", model);
        try {
            LlmSettings call = secrets.forCall(settings, "model-test", Owner.of(ctx));
            LlmResponse response = llm.stream(new LlmRequest(call, "Answer with the single word OK.",
                    List.of(Message.user(null, "model-test", Content.text("ping"), clock.instant())), List.of()),
                    SILENT, new Cancellation());
            result.put("ok", true).put("latencyMs", clock.millis() - started)
                    .put("reply", response.text() == null ? "" : response.text().strip());
        } catch (LlmException e) {
            result.put("ok", false).put("latencyMs", clock.millis() - started).put("status", e.statusCode())
                    .put("error", e.getMessage());
        }
        ctx.json(result);
    }

    private static final LlmListener SILENT = new LlmListener() {
        @Override
        public void onText(String delta) {
        }

        @Override
        public void onReasoning(String delta) {
        }
    };

    private RegisteredModel read(Body body, boolean creating) {
        JsonCheck.onlyFields(body, "name", "provider", "model", "baseURL", "apiKey", "maxOutputTokens",
                "temperature");
        if (!creating && body.get("name") != null) {
            throw new InvalidInputException("name", "a registered model's name cannot change");
        }
        return new RegisteredModel(creating ? body.requiredString("name") : null, body.optionalString("provider"),
                body.optionalString("model"), body.optionalString("baseURL"), body.optionalString("apiKey"),
                LlmApi.positiveInt(body, "maxOutputTokens"), LlmApi.number(body, "temperature"), null, null);
    }

    private RegisteredModel require(String name) {
        return models.store().registered(name).orElseThrow(() -> new NotFoundException("model", name));
    }

    private Optional<String> defaultName() {
        return models.store().route(TopicRoute.DEFAULT).map(TopicRoute::primary);
    }

    private ObjectNode wire(RegisteredModel m) {
        ObjectNode json = Json.object().put("name", m.name()).put("provider", m.provider()).put("model", m.model())
                .put("baseURL", m.baseUrl())
                // a reference names where the key is, never the key
                .put("apiKey", m.apiKey());
        LlmApi.putNullable(json, "maxOutputTokens", m.maxOutputTokens());
        if (m.temperature() == null) {
            json.putNull("temperature");
        } else {
            json.put("temperature", m.temperature());
        }
        return json.put("isDefault", defaultName().map(m.name()::equals).orElse(false))
                .put("createdAt", m.createdAt().toString()).put("updatedAt", m.updatedAt().toString());
    }

    private static ObjectNode wire(TopicRoute r) {
        return Json.object().put("topic", r.topic()).put("primary", r.primary()).put("backup", r.backup())
                .put("updatedAt", r.updatedAt().toString());
    }
}
