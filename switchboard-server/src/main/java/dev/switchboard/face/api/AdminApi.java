package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.identity.Accounts;
import dev.switchboard.identity.OneTimeCodes;
import dev.switchboard.user.Principal;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code /api/admin/*}: users, the audit log, registration, and link codes for channel bridges. Admins only. */
public final class AdminApi {

    private static final int MAX_PAGE = 500;

    private final Accounts accounts;
    private final AuditLog audit;
    private final OneTimeCodes codes;

    public AdminApi(Accounts accounts, AuditLog audit, OneTimeCodes codes) {
        this.accounts = accounts;
        this.audit = audit;
        this.codes = codes;
    }

    public void register(Routes routes) {
        routes.admin()
                .get("/api/admin/users", this::list)
                .post("/api/admin/users", this::create)
                .get("/api/admin/users/{userId}", this::get)
                .patch("/api/admin/users/{userId}", this::update)
                .post("/api/admin/users/{userId}/disable", ctx -> setDisabled(ctx, true))
                .post("/api/admin/users/{userId}/enable", ctx -> setDisabled(ctx, false))
                .post("/api/admin/users/{userId}/unlock",
                        ctx -> ctx.json(AuthApi.user(accounts.unlock(ctx.pathParam("userId"), Owner.principal(ctx)))))
                .get("/api/admin/audit", this::auditLog)
                .get("/api/admin/settings", this::settings)
                .patch("/api/admin/settings", this::updateSettings)
                .post("/api/admin/link-codes", this::linkCode);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        accounts.list().forEach(u -> list.add(AuthApi.user(u)));
        ctx.json(Json.object().set("users", list));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "username", "password", "displayName", "role");
        String role = body.optionalString("role");
        User user = accounts.create(body.requiredString("username"), body.requiredString("password"),
                body.optionalString("displayName"), role == null ? Role.USER : Role.parse(role, "role"),
                Owner.principal(ctx));
        ctx.status(201).json(AuthApi.user(user));
    }

    private void get(Context ctx) {
        ctx.json(AuthApi.user(accounts.require(ctx.pathParam("userId"))));
    }

    private void update(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "displayName", "role", "disabled", "password");
        String role = body.optionalString("role");
        Boolean disabled = body.get("disabled") == null ? null : body.optionalBoolean("disabled", false);
        User user = accounts.update(ctx.pathParam("userId"), new Accounts.UserChange(body.optionalString("displayName"),
                role == null ? null : Role.parse(role, "role"), disabled, body.optionalString("password")),
                Owner.principal(ctx));
        ctx.json(AuthApi.user(user));
    }

    private void setDisabled(Context ctx, boolean disabled) {
        User user = accounts.update(ctx.pathParam("userId"), new Accounts.UserChange(null, null, disabled, null),
                Owner.principal(ctx));
        ctx.json(AuthApi.user(user));
    }

    private void auditLog(Context ctx) {
        ctx.json(auditPage(ctx, audit));
    }

    /**
     * A page of the audit log as {@code {limit, offset, events: [{id, at, type, actorId, ip, targetType, targetId,
     * outcome, details}]}}, filtered by the {@code type}, {@code actorId}, {@code since} and {@code until} query
     * parameters; shared by {@code /api/admin/audit} and {@code /v1/operator/audit}.
     */
    public static ObjectNode auditPage(Context ctx, AuditLog audit) {
        int limit = intParam(ctx, "limit", 100, 1, MAX_PAGE);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (AuditEvent event : audit.list(ctx.queryParam("type"), ctx.queryParam("actorId"), time(ctx, "since"),
                time(ctx, "until"), limit, offset)) {
            ObjectNode json = list.addObject()
                    .put("id", event.id())
                    .put("at", event.at().toString())
                    .put("type", event.type())
                    .put("actorId", event.actorId())
                    .put("ip", event.ip())
                    .put("targetType", event.targetType())
                    .put("targetId", event.targetId())
                    .put("outcome", event.outcome());
            json.set("details", Json.MAPPER.valueToTree(event.details()));
        }
        return (ObjectNode) Json.object().put("limit", limit).put("offset", offset).set("events", list);
    }

    private void settings(Context ctx) {
        ctx.json(Json.object().put("registrationOpen", accounts.registrationOpen()));
    }

    private void updateSettings(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "registrationOpen");
        if (body.get("registrationOpen") == null) {
            throw new InvalidInputException("registrationOpen", "registrationOpen is required (true or false)");
        }
        Principal by = Owner.principal(ctx);
        accounts.setRegistrationOpen(body.optionalBoolean("registrationOpen", false), by);
        settings(ctx);
    }

    private void linkCode(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "channel", "externalId");
        OneTimeCodes.LinkCode code = codes.linkCode(body.requiredString("channel"), body.requiredString("externalId"),
                Owner.principal(ctx));
        ctx.header("Cache-Control", "no-store");
        ctx.status(201).json(Json.object().put("code", code.code()).put("channel", code.channel())
                .put("externalId", code.externalId()).put("expiresAt", code.expiresAt().toString()));
    }

    public static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw new InvalidInputException(name, name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " must be a whole number");
        }
    }

    /** An ISO-8601 instant query parameter, or null; 400 naming it when it is not one. */
    public static Instant time(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
