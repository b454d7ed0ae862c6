package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Pricing;
import dev.switchboard.llm.Providers;
import dev.switchboard.model.CatalogModel;
import dev.switchboard.model.CustomModel;
import dev.switchboard.model.ModelCatalog;
import dev.switchboard.model.ModelChoice;
import dev.switchboard.model.Models;
import dev.switchboard.session.Session;
import dev.switchboard.store.Store;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 004's model layer: {@code /api/llm/catalog}, {@code /api/llm/current}, {@code /api/llm/switch} (agent-wide for
 * administrators, one session for its owner), {@code /api/llm/custom-models} and {@code /api/llm/capabilities}.
 */
public final class LlmApi {

    private final Models models;
    private final Store sessions;
    private final AgentCatalog agents;

    public LlmApi(Models models, Store sessions, AgentCatalog agents) {
        this.models = models;
        this.sessions = sessions;
        this.agents = agents;
    }

    public void register(Routes routes) {
        routes.get("/api/llm/catalog", this::catalog)
                .get("/api/llm/current", this::current)
                .post("/api/llm/switch", this::switchModel)
                .get("/api/llm/custom-models", this::customModels)
                .get("/api/llm/capabilities", this::capabilities);
        routes.admin()
                .post("/api/llm/custom-models", this::saveCustomModel)
                .delete("/api/llm/custom-models/{name}", this::deleteCustomModel);
    }

    private void catalog(Context ctx) {
        String scope = choice(ctx, "scope", "all", Set.of("curated", "all"));
        String mode = choice(ctx, "mode", "grouped", Set.of("grouped", "flat"));
        Boolean hasKey = flag(ctx, "hasKey");
        Boolean defaultOnly = flag(ctx, "defaultOnly");
        Boolean includeModels = flag(ctx, "includeModels");
        String fileType = ctx.queryParam("fileType");
        if (fileType != null && !ModelCatalog.FILE_TYPES.contains(fileType)) {
            throw new InvalidInputException("fileType", "fileType must be one of "
                    + String.join(", ", ModelCatalog.FILE_TYPES));
        }
        ModelCatalog catalog = models.catalog();
        Map<String, String> providers = new LinkedHashMap<>(catalog.providers());
        for (String p : Models.CALLABLE) {
            providers.putIfAbsent(p, p);
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String raw : ctx.queryParams("provider")) {
            for (String p : raw.split(",")) {
                String name = p.strip();
                if (!name.isEmpty() && !providers.containsKey(name)) {
                    throw new InvalidInputException("provider", "unknown provider '" + name + "'; known: "
                            + String.join(", ", providers.keySet()));
                }
                if (!name.isEmpty()) {
                    wanted.add(name);
                }
            }
        }
        List<ObjectNode> listed = new ArrayList<>();
        for (CatalogModel m : catalog.models()) {
            if ("curated".equals(scope) && !m.curated()) {
                continue;
            }
            listed.add(wire(m));
        }
        if ("all".equals(scope)) {
            for (CustomModel c : models.store().customModels()) {
                ObjectNode json = Json.object().put("name", c.name()).put("provider", c.provider())
                        .put("displayName", c.displayName() == null ? c.name() : c.displayName())
                        .put("default", false).put("custom", true);
                putNullable(json, "maxInputTokens", c.maxInputTokens());
                putNullable(json, "maxOutputTokens", c.maxOutputTokens());
                json.putArray("supportedFileTypes");
                json.putNull("pricing");
                listed.add(json);
            }
        }
        List<ObjectNode> kept = listed.stream()
                .filter(m -> wanted.isEmpty() || wanted.contains(m.path("provider").asText()))
                .filter(m -> hasKey == null || models.hasKey(m.path("provider").asText()) == hasKey)
                .filter(m -> defaultOnly == null || !defaultOnly || m.path("default").asBoolean())
                .filter(m -> fileType == null || has(m.path("supportedFileTypes"), fileType))
                .toList();
        ObjectNode body = Json.object().put("pricesAsOf", catalog.pricesAsOf().toString());
        if ("flat".equals(mode)) {
            ArrayNode list = body.putArray("models");
            kept.forEach(list::add);
            ctx.json(body);
            return;
        }
        ObjectNode grouped = body.putObject("providers");
        for (Map.Entry<String, String> p : providers.entrySet()) {
            List<ObjectNode> own = kept.stream().filter(m -> m.path("provider").asText().equals(p.getKey())).toList();
            boolean filtered = !wanted.isEmpty() || hasKey != null || defaultOnly != null || fileType != null;
            if ((filtered && own.isEmpty()) || (!wanted.isEmpty() && !wanted.contains(p.getKey()))) {
                continue;
            }
            ObjectNode json = grouped.putObject(p.getKey()).put("name", p.getKey()).put("displayName", p.getValue())
                    .put("hasApiKey", models.hasKey(p.getKey()))
                    .put("envVar", Providers.KEY_VARIABLES.get(p.getKey()));
            Set<String> types = new LinkedHashSet<>();
            own.forEach(m -> m.path("supportedFileTypes").forEach(t -> types.add(t.asText())));
            ArrayNode typeList = json.putArray("supportedFileTypes");
            types.forEach(typeList::add);
            if (includeModels == null || includeModels) {
                ArrayNode list = json.putArray("models");
                own.forEach(m -> list.add(m.deepCopy().without("provider")));
            }
        }
        ctx.json(body);
    }

    static ObjectNode wire(CatalogModel m) {
        ObjectNode json = Json.object().put("name", m.name()).put("provider", m.provider())
                .put("displayName", m.displayName()).put("maxInputTokens", m.contextWindow())
                .put("maxOutputTokens", m.maxOutputTokens()).put("default", m.isDefault())
                .put("curated", m.curated());
        ArrayNode types = json.putArray("supportedFileTypes");
        m.fileTypes().forEach(types::add);
        Pricing.Price p = m.price();
        if (p == null) {
            json.putNull("pricing");
        } else {
            json.putObject("pricing").put("inputPerM", p.inputPerM()).put("outputPerM", p.outputPerM())
                    .put("cacheReadPerM", p.cacheReadPerM()).put("cacheWritePerM", p.cacheWritePerM())
                    .put("currency", "USD").put("unit", "per_million_tokens");
        }
        return json;
    }

    private void current(Context ctx) {
        String sessionId = ctx.queryParam("sessionId");
        Models.Resolved resolved;
        String agentId;
        if (sessionId != null) {
            Session session = ownSession(ctx, sessionId);
            agentId = session.agentId();
            resolved = models.resolve(sessionId, models.requireAgent(agentId));
        } else {
            agentId = AgentParam.fromQuery(ctx, agents).id();
            resolved = models.resolve(null, models.requireAgent(agentId));
        }
        ObjectNode body = Json.object();
        body.set("config", config(resolved.settings()));
        ObjectNode routing = body.putObject("routing").put("viaDexto", false).put("source", resolved.source());
        ArrayNode backups = routing.putArray("backups");
        resolved.backups().forEach(b -> backups.addObject().put("provider", b.provider()).put("model", b.model()));
        body.put("agentId", agentId);
        if (sessionId != null) {
            body.put("sessionId", sessionId);
        }
        ctx.json(body);
    }

    private ObjectNode config(LlmSettings s) {
        ObjectNode json = Json.object().put("provider", s.provider()).put("model", s.model())
                .put("maxIterations", s.maxIterations());
        json.put("baseURL", s.baseUrl());
        putNullable(json, "maxInputTokens", s.maxInputTokens());
        putNullable(json, "maxOutputTokens", s.maxOutputTokens());
        if (s.temperature() == null) {
            json.putNull("temperature");
        } else {
            json.put("temperature", s.temperature());
        }
        json.put("reasoningEffort", s.reasoningEffort());
        json.put("hasApiKey", s.apiKey() != null && !s.apiKey().isBlank());
        json.put("displayName", models.catalog().match(s.model()).map(CatalogModel::displayName)
                .or(() -> models.store().customModel(s.model()).map(CustomModel::displayName))
                .orElse(s.model()));
        return json;
    }

    private void switchModel(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "provider", "model", "apiKey", "maxIterations", "baseURL", "maxInputTokens",
                "maxOutputTokens", "temperature", "reasoningEffort", "sessionId", "agentId");
        Principal caller = Owner.principal(ctx);
        ModelChoice choice = new ModelChoice(body.optionalString("provider"), body.optionalString("model"),
                body.optionalString("baseURL"), body.optionalString("apiKey"), positiveInt(body, "maxIterations"),
                positiveInt(body, "maxInputTokens"), positiveInt(body, "maxOutputTokens"),
                number(body, "temperature"), body.optionalString("reasoningEffort"), null);
        String sessionId = body.optionalString("sessionId");
        ObjectNode reply = Json.object();
        if (sessionId != null) {
            // endpoints and keys are the server's to choose: a user picks among the models it already reaches
            for (String field : List.of("baseURL", "apiKey")) {
                if (body.get(field) != null && !caller.isAdmin()) {
                    throw new ForbiddenException("Only administrators may set " + field + " when switching a model",
                            Map.of("field", field));
                }
            }
            if (body.get("agentId") != null) {
                throw new InvalidInputException("agentId", "give sessionId or agentId, not both: a session keeps "
                        + "its agent");
            }
            Session session = ownSession(ctx, sessionId);
            Models.Resolved resolved = models.switchSession(sessionId, session.agentId(), choice);
            reply.set("config", config(resolved.settings()));
            reply.put("sessionId", sessionId);
        } else {
            if (!caller.isAdmin()) {
                throw new ForbiddenException("Switching an agent's model for every session is for administrators; "
                        + "give sessionId to switch one of your sessions", Map.of("field", "sessionId"));
            }
            String agentId = AgentParam.fromBody(body, agents).id();
            Models.Resolved resolved = models.switchAgent(agentId, choice);
            reply.set("config", config(resolved.settings()));
            reply.put("agentId", agentId);
        }
        ctx.json(reply);
    }

    private void customModels(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        models.store().customModels().forEach(m -> list.add(wire(m)));
        ctx.json(Json.object().set("models", list));
    }

    private void saveCustomModel(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "name", "provider", "baseURL", "displayName", "maxInputTokens", "maxOutputTokens",
                "apiKey", "filePath", "reasoningEffort");
        CustomModel saved = models.saveCustomModel(new CustomModel(body.requiredString("name"),
                body.optionalString("provider"), body.optionalString("baseURL"), body.optionalString("displayName"),
                positiveInt(body, "maxInputTokens"), positiveInt(body, "maxOutputTokens"),
                body.optionalString("apiKey"), body.optionalString("filePath"), body.optionalString("reasoningEffort"),
                null));
        ctx.json(Json.object().put("ok", true).set("model", wire(saved)));
    }

    private void deleteCustomModel(Context ctx) {
        String name = ctx.pathParam("name");
        if (!models.store().deleteCustomModel(name)) {
            throw new NotFoundException("custom model", name);
        }
        ctx.json(Json.object().put("ok", true).put("deleted", name));
    }

    private static ObjectNode wire(CustomModel m) {
        ObjectNode json = Json.object().put("name", m.name()).put("provider", m.provider())
                .put("displayName", m.displayName()).put("baseURL", m.baseUrl());
        putNullable(json, "maxInputTokens", m.maxInputTokens());
        putNullable(json, "maxOutputTokens", m.maxOutputTokens());
        // a reference names where the key is, never the key
        json.put("apiKey", m.apiKey()).put("filePath", m.filePath()).put("reasoningEffort", m.reasoningEffort());
        return json;
    }

    private void capabilities(Context ctx) {
        String provider = ctx.queryParam("provider");
        String model = ctx.queryParam("model");
        if (provider == null || provider.isBlank()) {
            throw new InvalidInputException("provider", "provider is required");
        }
        if (!Providers.KEY_VARIABLES.containsKey(provider.strip())) {
            throw new InvalidInputException("provider", "unknown provider '" + provider + "'");
        }
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", "model is required");
        }
        String p = provider.strip();
        String m = model.strip();
        List<String> types = models.catalog().find(p, m).map(CatalogModel::fileTypes)
                // gateways name the vendor's model: resolve to the model it routes to
                .or(() -> models.store().customModel(m).map(c -> List.<String>of()))
                .or(() -> List.of("openrouter", "dexto", "litellm", "glama").contains(p)
                        ? models.catalog().match(m).map(CatalogModel::fileTypes) : java.util.Optional.empty())
                .orElseGet(() -> {
                    if (List.of(Providers.OPENAI, Providers.ANTHROPIC, Providers.GOOGLE).contains(p)) {
                        throw new InvalidInputException("model", "unknown model '" + m + "' for provider '" + p
                                + "': see GET /api/llm/catalog?provider=" + p);
                    }
                    return List.of();
                });
        ObjectNode json = Json.object().put("provider", p).put("model", m);
        ArrayNode list = json.putArray("supportedFileTypes");
        types.forEach(list::add);
        ctx.json(json);
    }

    private Session ownSession(Context ctx, String sessionId) {
        // the id is not echoed: whether another user's session exists is none of the caller's business
        return sessions.findSession(Owner.of(ctx), sessionId)
                .orElseThrow(() -> new NotFoundException("No session of yours has that sessionId",
                        Map.of("kind", "session", "field", "sessionId")));
    }

    private static boolean has(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String choice(Context ctx, String name, String fallback, Set<String> allowed) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw new InvalidInputException(name, name + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()));
        }
        return value;
    }

    private static Boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(name, name + " must be true or false");
        };
    }

    static Integer positiveInt(Body body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() <= 0) {
            throw new InvalidInputException(field, field + " must be a whole number greater than 0");
        }
        return value.intValue();
    }

    static Double number(Body body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidInputException(field, field + " must be a number");
        }
        return value.doubleValue();
    }

    static void putNullable(ObjectNode json, String field, Integer value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value);
        }
    }
}
