package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.vault.ProviderKeys;
import io.javalin.http.Context;

/**
 * The providers' API keys (seed 004 {@code /api/llm/key}): kept in the operator's vault, shown only masked, and
 * used by agents from their next model call on. Admins only: the keys are the whole server's.
 */
public final class LlmKeyApi {

    private final ProviderKeys keys;

    public LlmKeyApi(ProviderKeys keys) {
        this.keys = keys;
    }

    public void register(Routes routes) {
        routes.admin()
                .get("/api/llm/key/{provider}", this::status)
                .post("/api/llm/key", this::store);
    }

    private void status(Context ctx) {
        ProviderKeys.Status status = keys.status(ctx.pathParam("provider"));
        ObjectNode json = Json.object()
                .put("provider", status.provider())
                .put("envVar", status.envVar())
                .put("hasKey", status.hasKey());
        if (status.keyValue() == null) {
            json.putNull("keyValue");
        } else {
            json.put("keyValue", status.keyValue()).put("source", status.source());
        }
        ctx.json(json);
    }

    private void store(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "provider", "apiKey");
        String provider = ProviderKeys.checkProvider(body.optionalString("provider"));
        ProviderKeys.Status status = keys.set(Owner.of(ctx), provider, body.requiredString("apiKey"));
        ctx.json(Json.object().put("ok", true).put("provider", status.provider()).put("envVar", status.envVar()));
    }
}
