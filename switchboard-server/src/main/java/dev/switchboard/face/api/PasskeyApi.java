package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.identity.Accounts;
import dev.switchboard.identity.Passkeys;
import dev.switchboard.user.Passkey;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Passkeys (WebAuthn) under {@code /api/auth}: the options and verification steps of registration and sign-in, in
 * the JSON forms browsers take ({@code PublicKeyCredential.parseCreationOptionsFromJSON}) and give
 * ({@code PublicKeyCredential.toJSON()}), and the user's list of passkeys.
 */
public final class PasskeyApi {

    private static final int MAX_NAME = 100;
    private static final int MAX_TRANSPORTS = 8;
    private static final Pattern TRANSPORT = Pattern.compile("[a-z][a-z-]{0,31}");
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("id", "rawId", "type", "response",
            "clientExtensionResults", "authenticatorAttachment");

    private final Passkeys passkeys;
    private final Accounts accounts;

    public PasskeyApi(Passkeys passkeys, Accounts accounts) {
        this.passkeys = passkeys;
        this.accounts = accounts;
    }

    public void register(Routes routes) {
        routes.open()
                .post("/api/auth/passkey/authenticate/options", this::authenticationOptions)
                .post("/api/auth/passkey/authenticate", this::authenticate);
        routes.post("/api/auth/passkey/register/options", this::registrationOptions)
                .post("/api/auth/passkey/register", this::registerPasskey)
                .get("/api/auth/passkeys", this::list)
                .delete("/api/auth/passkeys/{passkeyId}", this::delete);
    }

    private void registrationOptions(Context ctx) {
        JsonCheck.onlyFields(Body.of(ctx));
        Passkeys.CreationOptions options = passkeys.registrationOptions(interactiveUser(ctx));
        ObjectNode json = Json.object().put("challenge", options.challenge());
        json.putObject("rp").put("id", options.rpId()).put("name", options.rpName());
        json.putObject("user").put("id", options.userHandle()).put("name", options.userName())
                .put("displayName", options.userDisplayName());
        ArrayNode params = json.putArray("pubKeyCredParams");
        params.addObject().put("type", "public-key").put("alg", -7);
        params.addObject().put("type", "public-key").put("alg", -257);
        json.put("timeout", options.timeoutMillis());
        json.set("excludeCredentials", descriptors(options.excludeCredentials()));
        json.putObject("authenticatorSelection").put("residentKey", "preferred").put("requireResidentKey", false)
                .put("userVerification", options.userVerification());
        json.put("attestation", "none");
        ctx.header("Cache-Control", "no-store");
        ctx.json(json);
    }

    private void registerPasskey(Context ctx) {
        Body body = Body.of(ctx);
        onlyCredentialFields(body, "name");
        String name = body.optionalString("name");
        if (name != null && name.strip().length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be at most " + MAX_NAME + " characters");
        }
        JsonNode response = response(body, Set.of("clientDataJSON", "attestationObject", "transports",
                "publicKey", "publicKeyAlgorithm", "authenticatorData"));
        Passkeys.Attestation attestation = new Passkeys.Attestation(
                base64url(response, "clientDataJSON", true), base64url(response, "attestationObject", true),
                transports(response.get("transports")), name);
        Passkey passkey = passkeys.register(interactiveUser(ctx), attestation, ctx.ip());
        ctx.status(201).json(Json.object().set("passkey", passkey(passkey)));
    }

    private void authenticationOptions(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "username");
        String username = body.optionalString("username");
        if (username != null && (username.isBlank() || username.length() > 200)) {
            throw new InvalidInputException("username", "must be 1 to 200 characters when given");
        }
        Passkeys.RequestOptions options = passkeys.authenticationOptions(username == null ? null : username.strip());
        ObjectNode json = Json.object()
                .put("challenge", options.challenge())
                .put("timeout", options.timeoutMillis())
                .put("rpId", options.rpId());
        json.set("allowCredentials", descriptors(options.allowCredentials()));
        json.put("userVerification", options.userVerification());
        ctx.header("Cache-Control", "no-store");
        ctx.json(json);
    }

    private void authenticate(Context ctx) {
        Body body = Body.of(ctx);
        onlyCredentialFields(body);
        String id = body.requiredString("id");
        String rawId = body.optionalString("rawId");
        if (rawId != null && !rawId.equals(id)) {
            throw new InvalidInputException("rawId", "must equal id");
        }
        JsonNode response = response(body, Set.of("clientDataJSON", "authenticatorData", "signature",
                "userHandle"));
        Passkeys.Assertion assertion = new Passkeys.Assertion(decode(id, "id"),
                base64url(response, "clientDataJSON", true), base64url(response, "authenticatorData", true),
                base64url(response, "signature", true), base64url(response, "userHandle", false));
        Passkey passkey = passkeys.authenticate(assertion, ctx.ip());
        ctx.header("Cache-Control", "no-store");
        ctx.json(AuthApi.session(accounts.issueSession(passkey.userId(), ctx.ip(), ctx.userAgent())));
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        passkeys.list(Owner.of(ctx)).forEach(p -> list.add(passkey(p)));
        ctx.json(Json.object().set("passkeys", list));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("passkeyId");
        passkeys.delete(interactiveUser(ctx), id, ctx.ip());
        ctx.json(Json.object().put("ok", true).put("deleted", id));
    }

    /**
     * The signed-in user behind a browser session. A passkey is a new way into the account, so a personal access
     * token (possibly narrowed by scopes), a WebSocket ticket or the operator's key may not add or remove one.
     */
    private static String interactiveUser(Context ctx) {
        Principal principal = Owner.principal(ctx);
        if (!"session".equals(principal.via())) {
            throw new ForbiddenException("Passkeys are managed from a signed-in session, not with "
                    + (principal.userId().equals(Principal.OPERATOR.userId()) ? "the operator's API key"
                            : "a " + principal.via()), Map.of("via", principal.via()));
        }
        return principal.userId();
    }

    /** Allows the fields of a {@code PublicKeyCredential} in its JSON form, and {@code extra}. */
    private static void onlyCredentialFields(Body body, String... extra) {
        List<String> allowed = new ArrayList<>(CREDENTIAL_FIELDS.stream().sorted().toList());
        allowed.addAll(List.of(extra));
        JsonCheck.onlyFields(body, allowed.toArray(String[]::new));
        String type = body.optionalString("type");
        if (type != null && !type.equals("public-key")) {
            throw new InvalidInputException("type", "must be public-key");
        }
        JsonNode extensions = body.get("clientExtensionResults");
        if (extensions != null && !extensions.isObject()) {
            throw new InvalidInputException("clientExtensionResults", "must be an object");
        }
        body.optionalString("authenticatorAttachment");
    }

    private static JsonNode response(Body body, Set<String> allowed) {
        JsonNode response = body.get("response");
        if (response == null || !response.isObject()) {
            throw new InvalidInputException("response", "is required: the authenticator's response object");
        }
        Iterator<String> names = response.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidInputException("response." + name, "unknown field (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return response;
    }

    private static byte[] base64url(JsonNode response, String field, boolean required) {
        JsonNode value = response.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException("response." + field, "is required (base64url)");
            }
            return null;
        }
        if (!value.isTextual() || (required && value.asText().isEmpty())) {
            throw new InvalidInputException("response." + field, "must be a base64url string");
        }
        return decode(value.asText(), "response." + field);
    }

    private static byte[] decode(String value, String field) {
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "must be base64url (A-Z a-z 0-9 - _, no padding needed)");
        }
    }

    private static List<String> transports(JsonNode given) {
        if (given == null || given.isNull()) {
            return List.of();
        }
        String problem = "must be an array of at most " + MAX_TRANSPORTS + " transport names such as usb, nfc, "
                + "ble, hybrid, internal";
        if (!given.isArray() || given.size() > MAX_TRANSPORTS) {
            throw new InvalidInputException("response.transports", problem);
        }
        List<String> transports = new ArrayList<>();
        for (JsonNode transport : given) {
            if (!transport.isTextual() || !TRANSPORT.matcher(transport.asText()).matches()) {
                throw new InvalidInputException("response.transports", problem);
            }
            if (!transports.contains(transport.asText())) {
                transports.add(transport.asText());
            }
        }
        return transports;
    }

    private static ArrayNode descriptors(List<Passkeys.Descriptor> descriptors) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Passkeys.Descriptor descriptor : descriptors) {
            ObjectNode item = list.addObject().put("type", "public-key").put("id", descriptor.id());
            ArrayNode transports = item.putArray("transports");
            descriptor.transports().forEach(transports::add);
        }
        return list;
    }

    /** A passkey as its owner sees it: no key material. */
    private static ObjectNode passkey(Passkey passkey) {
        ObjectNode json = Json.object()
                .put("id", passkey.id())
                .put("name", passkey.name())
                .put("credentialId", passkey.credentialId())
                .put("backupEligible", passkey.backupEligible())
                .put("backedUp", passkey.backupState())
                .put("createdAt", passkey.createdAt().toString())
                .put("lastUsedAt", passkey.lastUsedAt() == null ? null : passkey.lastUsedAt().toString());
        ArrayNode transports = json.putArray("transports");
        passkey.transports().forEach(transports::add);
        return json;
    }
}
