package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.identity.PersonalTokens;
import dev.switchboard.operator.Pairing;
import dev.switchboard.server.ApiKey;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

/**
 * Credentials for remote clients: {@code POST /v1/operator/access/rotate-api-key} replaces the operator's API key
 * (the old one stops working at once), and {@code POST /v1/operator/pairing} mints a personal access token for the
 * caller and answers it as seed 000's pairing payload (deep link and QR code). Either answer is the only time the
 * new secret is seen, and is marked {@code Cache-Control: no-store}.
 */
public final class OperatorAccessApi {

    private final ApiKey apiKey;
    private final PersonalTokens tokens;
    private final AuditLog audit;

    public OperatorAccessApi(ApiKey apiKey, PersonalTokens tokens, AuditLog audit) {
        this.apiKey = apiKey;
        this.tokens = tokens;
        this.audit = audit;
    }

    public void register(Routes routes) {
        routes.admin()
                .post("/v1/operator/access/rotate-api-key", this::rotate)
                .post("/v1/operator/pairing", this::pair);
    }

    private void rotate(Context ctx) {
        JsonCheck.onlyFields(Body.of(ctx));
        String key;
        try {
            key = apiKey.rotate();
        } catch (ConflictException e) {
            record(ctx, "operator.api-key.rotate", "denied", Map.of("reason", "environment"));
            throw e;
        }
        record(ctx, "operator.api-key.rotate", "success", Map.of());
        ctx.header("Cache-Control", "no-store");
        ctx.json(Json.object()
                .put("apiKey", key)
                .put("rotatedAt", Instant.now().toString())
                .put("note", "The previous API key no longer works. This key is shown only now; only its hash is "
                        + "stored."));
    }

    /** {@code {baseUrl?, name?, scopes?, expiresInDays?}}; the base URL defaults to the one the caller used. */
    private void pair(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "baseUrl", "name", "scopes", "expiresInDays");
        String baseUrl = body.optionalString("baseUrl");
        if (baseUrl == null) {
            baseUrl = ctx.scheme() + "://" + ctx.host();
        }
        // validated before the token exists, so a bad URL leaves no token behind
        Pairing.of(baseUrl, "-");
        TreeSet<String> scopes = new TreeSet<>(java.util.Set.of(Principal.READ, Principal.WRITE));
        JsonNode given = body.get("scopes");
        if (given != null) {
            if (!given.isArray() || given.isEmpty()) {
                throw new InvalidInputException("scopes", "scopes must be a non-empty array of read, write, admin");
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
        if (days != null && !days.isIntegralNumber()) {
            throw new InvalidInputException("expiresInDays", "expiresInDays must be a whole number of days");
        }
        String name = body.optionalString("name");
        PersonalTokens.Created created = tokens.create(Owner.principal(ctx), name == null ? "mobile pairing" : name,
                scopes, days == null ? null : days.intValue());
        Pairing pairing = Pairing.of(baseUrl, created.secret());
        record(ctx, "operator.pairing", "success", Map.of("tokenId", created.token().id(),
                "baseUrl", pairing.baseUrl()));
        ObjectNode json = Json.object()
                .put("baseUrl", pairing.baseUrl())
                .put("apiBaseUrl", pairing.apiBaseUrl())
                .put("apiKey", created.secret())
                .put("tokenId", created.token().id())
                .put("expiresAt", created.token().expiresAt() == null ? null
                        : created.token().expiresAt().toString())
                .put("deepLink", pairing.deepLink())
                .put("qr", pairing.qr(false));
        ArrayNode scopeList = json.putArray("scopes");
        scopes.forEach(scopeList::add);
        ctx.header("Cache-Control", "no-store");
        ctx.status(201).json(json);
    }

    private void record(Context ctx, String type, String outcome, Map<String, String> details) {
        audit.record(AuditEvent.of(type, Owner.of(ctx), "credential", null, outcome, details)
                .withIp(ClientAddress.of(ctx)));
    }
}
