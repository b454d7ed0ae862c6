package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.push.PushNotifier;
import dev.switchboard.push.PushToken;
import dev.switchboard.push.PushTokenStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/push} (seed 000): a user registers the push tokens of their devices and reads and clears their badge.
 * Tokens are the caller's own; a token is never shown whole again, only as {@code tokenHint}.
 */
public final class PushApi {

    static final int MAX_TOKEN = 4096;
    static final int MAX_DEVICE_NAME = 100;

    private final PushTokenStore tokens;
    private final PushNotifier notifier;
    private final AuditLog audit;
    private final Clock clock;

    public PushApi(PushTokenStore tokens, PushNotifier notifier, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.notifier = notifier;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.post("/v1/push/register", this::registerToken)
                .post("/v1/push/unregister", this::unregisterToken)
                .get("/v1/push/status", ctx -> ctx.json(status(Owner.of(ctx))))
                .post("/v1/push/clear-badge", this::clearBadge);
    }

    private void registerToken(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "token", "platform", "deviceName");
        String token = token(body);
        String platform = body.optionalEnum("platform", Set.copyOf(PushToken.PLATFORMS));
        if (platform == null) {
            throw new InvalidInputException("platform", "is required: one of " + String.join(", ",
                    PushToken.PLATFORMS));
        }
        String deviceName = body.optionalString("deviceName");
        if (deviceName != null && (deviceName.isBlank() || deviceName.length() > MAX_DEVICE_NAME)) {
            throw new InvalidInputException("deviceName", "must be 1 to " + MAX_DEVICE_NAME + " characters");
        }
        String owner = Owner.of(ctx);
        PushToken stored = tokens.register(new PushToken(Ids.next("push"), owner, token, platform,
                deviceName == null ? null : deviceName.strip(), clock.instant()));
        audit.record(AuditEvent.of("push.register", owner, "push_token", stored.id(), "success",
                Map.of("platform", platform)));
        ObjectNode json = Json.object().put("registered", true);
        json.set("token", wire(stored));
        ctx.status(201).json(json);
    }

    /** Idempotent: unregistering a token the caller does not have answers {@code removed: false}. */
    private void unregisterToken(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "token");
        String owner = Owner.of(ctx);
        boolean removed = tokens.unregister(owner, token(body));
        if (removed) {
            audit.record(AuditEvent.of("push.unregister", owner, "push_token", null, "success", Map.of()));
        }
        ctx.json(Json.object().put("removed", removed));
    }

    private void clearBadge(Context ctx) {
        tokens.clearBadge(Owner.of(ctx), clock.instant());
        ctx.json(Json.object().put("badge", 0));
    }

    private ObjectNode status(String owner) {
        ObjectNode json = Json.object().put("enabled", notifier.enabled());
        var list = json.putArray("tokens");
        tokens.list(owner).forEach(t -> list.add(wire(t)));
        return json.put("badge", tokens.badge(owner));
    }

    private static String token(Body body) {
        String token = body.requiredString("token");
        if (token.length() > MAX_TOKEN || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidInputException("token", "must be at most " + MAX_TOKEN
                    + " printable ASCII characters without spaces");
        }
        return token;
    }

    private static ObjectNode wire(PushToken t) {
        ObjectNode json = Json.object()
                .put("id", t.id())
                .put("platform", t.platform());
        if (t.deviceName() == null) {
            json.putNull("deviceName");
        } else {
            json.put("deviceName", t.deviceName());
        }
        return json.put("tokenHint", t.hint()).put("registeredAt", t.registeredAt().toString());
    }
}
