package dev.switchboard.face.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Providers;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{providerId}}: the names {@code /v1/chat/completions} accepts,
 * as OpenAI's {@code list} of {@code model} objects. Until the model catalog exists, a provider's "known models"
 * are the models the agents are configured with.
 */
public final class ModelsApi {

    private final ModelAliases aliases;
    private final long created;

    /** @param createdAt epoch seconds given as every entry's {@code created} (the server's start) */
    public ModelsApi(dev.switchboard.agent.AgentCatalog agents, long createdAt) {
        this.aliases = new ModelAliases(agents);
        this.created = createdAt;
    }

    public void register(Routes routes) {
        routes.get("/v1/models", this::list)
                .get("/v1/models/{providerId}", this::ofProviderOrModel);
    }

    private void list(Context ctx) {
        String provider = ctx.queryParam("providerId");
        ctx.json(provider == null || provider.isBlank() ? page(aliases.listed()) : page(ofProvider(provider)));
    }

    /**
     * A provider id lists that provider's models (seed 000); any other name is looked up as a model, as OpenAI's
     * {@code GET /v1/models/{model}} does, so both kinds of client get what they expect.
     */
    private void ofProviderOrModel(Context ctx) {
        String name = ctx.pathParam("providerId");
        if (Providers.KNOWN.contains(name)) {
            ctx.json(page(aliases.ofProvider(name)));
            return;
        }
        ModelAliases.Alias alias = aliases.listed().stream().filter(a -> a.id().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("The model '" + name + "' does not exist; GET /v1/models "
                        + "lists the names this server accepts", Map.of("kind", "model", "id", name)));
        ctx.json(model(alias));
    }

    private List<ModelAliases.Alias> ofProvider(String provider) {
        if (!Providers.KNOWN.contains(provider)) {
            throw new NotFoundException("No provider '" + provider + "'; known providers: "
                    + String.join(", ", Providers.KNOWN), Map.of("kind", "provider", "id", provider));
        }
        return aliases.ofProvider(provider);
    }

    private ObjectNode page(List<ModelAliases.Alias> entries) {
        ObjectNode page = Json.object().put("object", "list");
        ArrayNode data = page.putArray("data");
        entries.forEach(alias -> data.add(model(alias)));
        return page;
    }

    private ObjectNode model(ModelAliases.Alias alias) {
        return Json.object().put("id", alias.id()).put("object", "model").put("created", created)
                .put("owned_by", alias.ownedBy());
    }
}
