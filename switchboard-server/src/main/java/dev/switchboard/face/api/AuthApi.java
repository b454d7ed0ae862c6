package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.identity.Accounts;
import dev.switchboard.identity.Authenticator;
import dev.switchboard.identity.IssuedSession;
import dev.switchboard.identity.OneTimeCodes;
import dev.switchboard.identity.Setup;
import dev.switchboard.identity.TwoFactor;
import dev.switchboard.server.HttpServer;
import dev.switchboard.user.ChannelLink;
import dev.switchboard.user.Principal;
import dev.switchboard.user.User;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Seed 002's {@code /api/auth/*} (registration, sign-in, sessions, TOTP, WebSocket tickets, channel links) and
 * seed 003's first-start {@code /api/setup-state}.
 */
public final class AuthApi {

    private final Accounts accounts;
    private final Authenticator authenticator;
    private final TwoFactor twoFactor;
    private final OneTimeCodes codes;
    private final Setup setup;

    public AuthApi(Accounts accounts, Authenticator authenticator, TwoFactor twoFactor, OneTimeCodes codes,
            Setup setup) {
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.twoFactor = twoFactor;
        this.codes = codes;
        this.setup = setup;
    }

    public void register(Routes routes) {
        routes.open()
                .post("/api/auth/register", this::registerUser)
                .post("/api/auth/login", this::login)
                .post("/api/auth/refresh", this::refresh)
                .get("/api/setup-state", this::setupState)
                .post("/api/setup-state/complete", this::completeSetup);
        routes.post("/api/auth/logout", this::logout)
                .get("/api/auth/me", this::me)
                .post("/api/auth/password", this::changePassword)
                .get("/api/auth/ws-ticket", this::wsTicket)
                .post("/api/auth/totp/setup", this::totpSetup)
                .post("/api/auth/totp/enable", this::totpEnable)
                .post("/api/auth/totp/disable", this::totpDisable)
                .post("/api/auth/totp/verify", this::totpVerify)
                .post("/api/auth/link", this::link)
                .get("/api/auth/links", this::links);
    }

    private void registerUser(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "username", "password", "displayName");
        IssuedSession session = accounts.register(body.requiredString("username"), body.requiredString("password"),
                body.optionalString("displayName"), ctx.ip(), ctx.userAgent());
        ctx.status(201).json(session(session));
    }

    private void login(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "username", "password", "totpCode");
        IssuedSession session = accounts.login(body.requiredString("username"), body.requiredString("password"),
                body.optionalString("totpCode"), ctx.ip(), ctx.userAgent());
        ctx.json(session(session));
    }

    private void refresh(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "refreshToken");
        ctx.json(session(accounts.refresh(body.requiredString("refreshToken"), ctx.ip(), ctx.userAgent())));
    }

    private void logout(Context ctx) {
        Principal principal = Owner.principal(ctx);
        String sessionId = authenticator.sessionOf(HttpServer.presentedCredential(ctx));
        accounts.logout(principal.userId(), sessionId, ctx.ip());
        ctx.json(Json.object().put("ok", true).put("sessionEnded", sessionId != null));
    }

    private void me(Context ctx) {
        Principal principal = Owner.principal(ctx);
        ObjectNode me;
        if (principal.userId().equals(Principal.OPERATOR.userId())) {
            me = Json.object().put("id", principal.userId()).put("username", principal.userId())
                    .put("displayName", "Operator").put("role", principal.role().wireName())
                    .put("totpEnabled", false);
        } else {
            User user = accounts.require(principal.userId());
            me = user(user).put("backupCodesLeft", user.totpEnabled() ? twoFactor.backupCodesLeft(user) : 0);
        }
        ArrayNode scopes = me.putArray("scopes");
        principal.scopes().stream().sorted().forEach(scopes::add);
        me.put("via", principal.via());
        ctx.json(me);
    }

    private void changePassword(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "currentPassword", "newPassword");
        String userId = signedInUser(ctx).id();
        accounts.changePassword(userId, authenticator.sessionOf(HttpServer.presentedCredential(ctx)),
                body.requiredString("currentPassword"), body.requiredString("newPassword"), ctx.ip());
        ctx.json(Json.object().put("ok", true));
    }

    private void wsTicket(Context ctx) {
        OneTimeCodes.Ticket ticket = codes.wsTicket(Owner.principal(ctx));
        ctx.header("Cache-Control", "no-store");
        ctx.json(Json.object().put("ticket", ticket.ticket()).put("expiresAt", ticket.expiresAt().toString())
                .put("expiresIn", OneTimeCodes.TICKET_LIFETIME.toSeconds()));
    }

    private void totpSetup(Context ctx) {
        JsonCheck.onlyFields(Body.of(ctx));
        TwoFactor.Setup created = twoFactor.setup(signedInUser(ctx));
        ctx.header("Cache-Control", "no-store");
        ctx.json(Json.object().put("secret", created.secret()).put("otpauthUri", created.otpauthUri()));
    }

    private void totpEnable(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "code");
        List<String> backupCodes = twoFactor.enable(signedInUser(ctx), body.requiredString("code"));
        ArrayNode list = Json.MAPPER.createArrayNode();
        backupCodes.forEach(list::add);
        ctx.header("Cache-Control", "no-store");
        ctx.json(Json.object().put("enabled", true).set("backupCodes", list));
    }

    private void totpDisable(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "code");
        twoFactor.disable(signedInUser(ctx), body.requiredString("code"));
        ctx.json(Json.object().put("enabled", false));
    }

    private void totpVerify(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "code");
        String code = body.requiredString("code");
        User user = signedInUser(ctx);
        if (!user.totpEnabled()) {
            throw new ConflictException("Two-factor authentication is not enabled",
                    Map.of("totpEnabled", false));
        }
        if (!twoFactor.accept(user, code)) {
            throw new UnauthorizedException("invalid_totp",
                    "The two-factor code is wrong or was used already", Map.of("field", "code"));
        }
        ctx.json(Json.object().put("valid", true));
    }

    private void link(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "code");
        ChannelLink link = codes.redeemLink(Owner.principal(ctx), body.requiredString("code"), ctx.ip());
        ctx.json(Json.object().put("ok", true).put("channel", link.channel()).put("externalId", link.externalId())
                .put("linkedAt", link.linkedAt().toString()));
    }

    private void links(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ChannelLink link : codes.links(Owner.of(ctx))) {
            list.addObject().put("channel", link.channel()).put("externalId", link.externalId())
                    .put("linkedAt", link.linkedAt().toString());
        }
        ctx.json(Json.object().set("links", list));
    }

    private void setupState(Context ctx) {
        Setup.State state = setup.state();
        ctx.json(Json.object()
                .put("setupComplete", state.complete())
                .put("hasAdmin", state.hasAdmin())
                .put("completedAt", state.completedAt() == null ? null : state.completedAt().toString())
                .put("registrationOpen", state.registrationOpen()));
    }

    private void completeSetup(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "setupToken", "username", "password", "displayName");
        IssuedSession session = setup.complete(Owner.optional(ctx), body.optionalString("setupToken"),
                body.optionalString("username"), body.optionalString("password"), body.optionalString("displayName"),
                ctx.ip(), ctx.userAgent());
        ObjectNode answer = Json.object().put("ok", true).put("setupComplete", true);
        if (session != null) {
            answer.setAll(session(session));
        }
        ctx.json(answer);
    }

    /** The signed-in user; the operator's key and other non-user credentials have no account to change. */
    private User signedInUser(Context ctx) {
        Principal principal = Owner.principal(ctx);
        if (principal.userId().equals(Principal.OPERATOR.userId())) {
            throw new ForbiddenException(
                    "The operator's API key has no user account; sign in as a user",
                    Map.of("via", principal.via()));
        }
        return accounts.require(principal.userId());
    }

    static ObjectNode session(IssuedSession session) {
        ObjectNode json = Json.object()
                .put("accessToken", session.accessToken())
                .put("refreshToken", session.refreshToken())
                .put("tokenType", IssuedSession.TOKEN_TYPE)
                .put("expiresIn", session.expiresIn());
        json.set("user", user(session.user()));
        return json;
    }

    static ObjectNode user(User user) {
        return Json.object()
                .put("id", user.id())
                .put("username", user.username())
                .put("displayName", user.displayName())
                .put("role", user.role().wireName())
                .put("disabled", user.disabled())
                .put("totpEnabled", user.totpEnabled())
                .put("createdAt", user.createdAt().toString())
                .put("lastLoginAt", user.lastLoginAt() == null ? null : user.lastLoginAt().toString());
    }
}
