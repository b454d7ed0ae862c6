package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.llm.Providers;
import dev.switchboard.model.CatalogModel;
import dev.switchboard.model.ModelDiscovery;
import dev.switchboard.model.Models;
import dev.switchboard.vault.SecretReferences;
import io.javalin.http.Context;
import java.util.List;

/**
 * Which providers and models there are beyond the registry: seed 002's known models per provider and Ollama
 * discovery, seed 003's {@code /api/providers} and {@code /api/provider-models}, seed 004's {@code /api/models/ollama}
 * and OpenRouter model validation. Reading is for any signed-in caller; listing a server's models with a key given in
 * the request is for administrators.
 */
public final class ProviderApi {

    private final Models models;
    private final ModelDiscovery discovery;

    public ProviderApi(Models models, ModelDiscovery discovery) {
        this.models = models;
        this.discovery = discovery;
    }

    public void register(Routes routes) {
        routes.get("/api/providers", this::providers)
                .get("/api/models/providers/{provider}/known", this::known)
                .get("/api/models/providers/ollama/models", ctx -> ctx.json(ollama(discovery.ollama(null, "baseURL"))))
                .get("/api/models/ollama", ctx -> ctx.json(ollama(discovery.ollama(ctx.queryParam("baseURL"),
                        "baseURL"))))
                .get("/api/openrouter/validate/{modelId}", ctx -> validate(ctx, ctx.pathParam("modelId")))
                // OpenRouter ids hold one slash (vendor/model), which a single path segment cannot carry
                .get("/api/openrouter/validate/{vendor}/{model}",
                        ctx -> validate(ctx, ctx.pathParam("vendor") + "/" + ctx.pathParam("model")));
        routes.admin().post("/api/provider-models", this::providerModels);
    }

    private void providers(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (String id : Providers.KEY_VARIABLES.keySet()) {
            List<CatalogModel> known = models.catalog().models().stream().filter(m -> m.provider().equals(id))
                    .toList();
            list.addObject().put("id", id).put("name", models.catalog().providers().getOrDefault(id, id))
                    .put("callable", Models.CALLABLE.contains(id)).put("hasKey", models.hasKey(id))
                    .put("needsKey", Providers.NEED_KEY.contains(id) || "openrouter".equals(id))
                    .put("knownModels", known.size())
                    .put("defaultModel", known.stream().filter(CatalogModel::isDefault).map(CatalogModel::name)
                            .findFirst().orElse(null));
        }
        ctx.json(Json.object().set("providers", list));
    }

    private void known(Context ctx) {
        String provider = knownProvider(ctx.pathParam("provider"));
        ArrayNode list = Json.MAPPER.createArrayNode();
        models.catalog().models().stream().filter(m -> m.provider().equals(provider))
                .forEach(m -> list.add(LlmApi.wire(m)));
        ctx.json(Json.object().put("provider", provider).put("pricesAsOf", models.catalog().pricesAsOf().toString())
                .set("models", list));
    }

    /**
     * The models a provider serves: the catalog's for the catalogued ones, the running Ollama's, or the list an
     * OpenAI-compatible server answers at {@code <baseURL>/models}. A key given here is used for that one request
     * and only sent to the URL given with it; the server's stored keys never go to a URL from a request.
     */
    private void providerModels(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "provider", "baseURL", "apiKey");
        String provider = knownProvider(body.requiredString("provider"));
        String baseUrl = body.optionalString("baseURL");
        String apiKey = body.optionalString("apiKey");
        if (apiKey != null && SecretReferences.referencedName(apiKey) != null) {
            throw new InvalidInputException("apiKey", "must be the key itself, used for this request only; a "
                    + "reference would send a stored secret to the given URL");
        }
        ObjectNode answer = Json.object().put("provider", provider);
        ArrayNode list = answer.putArray("models");
        if (Providers.OLLAMA.equals(provider)) {
            ModelDiscovery.OllamaModels found = discovery.ollama(baseUrl, "baseURL");
            found.models().forEach(m -> list.addObject().put("id", m.name()).put("name", m.name()));
            ctx.json(answer.put("source", "ollama").put("available", found.available()).put("error", found.error()));
            return;
        }
        if (baseUrl != null) {
            discovery.openAiCompatible(baseUrl, apiKey, "baseURL").forEach(m -> {
                ObjectNode json = list.addObject().put("id", m.id()).put("name", m.id());
                LlmApi.putNullable(json, "contextLength", m.contextLength());
            });
            ctx.json(answer.put("source", "server").put("available", true));
            return;
        }
        if (Providers.OPENAI_COMPATIBLE.equals(provider)) {
            throw new InvalidInputException("baseURL", "is required to list the models of provider "
                    + "'openai-compatible'");
        }
        models.catalog().models().stream().filter(m -> m.provider().equals(provider))
                .forEach(m -> list.addObject().put("id", m.name()).put("name", m.displayName()));
        ctx.json(answer.put("source", "catalog").put("available", true));
    }

    private void validate(Context ctx, String modelId) {
        if (modelId.isBlank() || modelId.length() > 200) {
            throw new InvalidInputException("modelId", "must be an OpenRouter model id such as "
                    + "'anthropic/claude-3.5-sonnet'");
        }
        ModelDiscovery.Validation v = discovery.validateOpenRouter(modelId);
        ObjectNode json = Json.object().put("valid", v.valid()).put("modelId", v.modelId()).put("status", v.status())
                .put("source", v.source());
        if (v.error() != null) {
            json.put("error", v.error());
        }
        if (v.contextLength() != null) {
            json.putObject("info").put("contextLength", v.contextLength());
        }
        ctx.json(json);
    }

    private static ObjectNode ollama(ModelDiscovery.OllamaModels found) {
        ObjectNode json = Json.object().put("available", found.available()).put("baseURL", found.baseUrl());
        if (found.version() != null) {
            json.put("version", found.version());
        }
        ArrayNode list = json.putArray("models");
        found.models().forEach(m -> list.addObject().put("name", m.name()).put("size", m.size())
                .put("digest", m.digest()).put("modifiedAt", m.modifiedAt()));
        if (found.error() != null) {
            json.put("error", found.error());
        }
        return json;
    }

    private static String knownProvider(String provider) {
        String p = provider == null ? "" : provider.strip();
        if (!Providers.KEY_VARIABLES.containsKey(p)) {
            throw new InvalidInputException("provider", "unknown provider '" + p + "'; known: "
                    + String.join(", ", Providers.KEY_VARIABLES.keySet()));
        }
        return p;
    }
}
