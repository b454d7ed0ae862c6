package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.identity.PersonalTokens;
import dev.switchboard.user.ApiToken;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** {@code /api/api-tokens}: the caller's personal access tokens; a new token's secret is in the answer once. */
public final class ApiTokenApi {

    private final PersonalTokens tokens;

    public ApiTokenApi(PersonalTokens tokens) {
        this.tokens = tokens;
    }

    public void register(Routes routes) {
        routes.get("/api/api-tokens", this::list)
                .post("/api/api-tokens", this::create)
                .delete("/api/api-tokens/{tokenId}", this::revoke);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        Instant now = Instant.now();
        tokens.list(Owner.of(ctx)).forEach(t -> list.add(token(t, now)));
        ctx.json(Json.object().set("tokens", list));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "name", "scopes", "expiresInDays");
        Set<String> scopes = new HashSet<>(Set.of(Principal.READ, Principal.WRITE));
        JsonNode given = body.get("scopes");
        if (given != null) {
            if (!given.isArray()) {
                throw new InvalidInputException("scopes", "scopes must be an array of read, write, admin");
            }
            scopes.clear();
            for (JsonNode scope : given) {
                if (!scope.isTextual()) {
                    throw new InvalidInputException("scopes", "scopes must be an array of read, write, admin");
                }
                scopes.add(scope.asText());
            }
        }
        JsonNode days = body.get("expiresInDays");
        if (days != null && !days.canConvertToInt()) {
            throw new InvalidInputException("expiresInDays", "expiresInDays must be a whole number of days");
        }
        if (days != null && !days.isIntegralNumber()) {
            throw new InvalidInputException("expiresInDays", "expiresInDays must be a whole number of days");
        }
        PersonalTokens.Created created = tokens.create(Owner.principal(ctx), body.requiredString("name"), scopes,
                days == null ? null : days.intValue());
        ctx.header("Cache-Control", "no-store");
        ctx.status(201).json(token(created.token(), Instant.now()).put("token", created.secret()));
    }

    private void revoke(Context ctx) {
        tokens.revoke(Owner.of(ctx), ctx.pathParam("tokenId"));
        ctx.json(Json.object().put("ok", true).put("revoked", ctx.pathParam("tokenId")));
    }

    private static ObjectNode token(ApiToken token, Instant now) {
        ObjectNode json = Json.object()
                .put("id", token.id())
                .put("name", token.name())
                .put("prefix", token.prefix())
                .put("createdAt", token.createdAt().toString())
                .put("expiresAt", token.expiresAt() == null ? null : token.expiresAt().toString())
                .put("lastUsedAt", token.lastUsedAt() == null ? null : token.lastUsedAt().toString())
                .put("revokedAt", token.revokedAt() == null ? null : token.revokedAt().toString())
                .put("active", token.activeAt(now));
        ArrayNode scopes = json.putArray("scopes");
        token.scopes().stream().sorted().forEach(scopes::add);
        return json;
    }
}
