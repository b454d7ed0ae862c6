package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import dev.switchboard.profile.ModelProfile;
import dev.switchboard.profile.ModelProfileStore;
import dev.switchboard.user.UserStore;
import dev.switchboard.vault.SecretReferences;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /v1/profiles} (seed 000): server-wide provider/model profiles the default agent can be switched to from a
 * mobile client's settings. Every signed-in user reads them; administrators switch, import and delete. The built-in
 * profile {@value #BUILT_IN} is the default agent's own file and cannot be deleted. A profile never holds a key,
 * only a reference to one.
 */
public final class ProfileApi {

    /** The id of the profile that is the default agent's own file. */
    static final String BUILT_IN = "agent-file";
    static final String CURRENT = "remote.currentProfileId";
    static final Set<String> FIELDS = Set.of("id", "name", "provider", "model", "baseURL", "apiKey", "temperature",
            "maxTokens");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern ENV_REF = Pattern.compile("^\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?$");

    private final ModelProfileStore profiles;
    private final FileAgentCatalog agents;
    private final UserStore settings;
    private final AuditLog audit;
    private final Clock clock;

    /** Applies the stored current profile to the default agent. */
    public ProfileApi(ModelProfileStore profiles, FileAgentCatalog agents, UserStore settings, AuditLog audit,
            Clock clock) {
        this.profiles = profiles;
        this.agents = agents;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        agents.useProfile(stored().orElse(null));
    }

    public void register(Routes routes) {
        routes.get("/v1/profiles", this::list)
                .get("/v1/profiles/current", ctx -> ctx.json(current()))
                .get("/v1/profiles/{profileId}/export", this::export);
        routes.admin()
                .post("/v1/profiles/current", this::switchTo)
                .post("/v1/profiles/import", this::importProfile)
                .delete("/v1/profiles/{profileId}", this::delete);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        String currentId = currentId();
        var list = json.putArray("profiles");
        list.add(builtIn(currentId));
        profiles.list().forEach(p -> list.add(wire(p, currentId)));
        json.put("currentProfileId", currentId);
        ctx.json(json);
    }

    /** The current profile, with the agent it applies to and the model that agent resolves to now. */
    private ObjectNode current() {
        String currentId = currentId();
        ObjectNode json = BUILT_IN.equals(currentId) ? builtIn(currentId)
                : wire(profiles.find(currentId).orElseThrow(), currentId);
        String agentId = agents.defaultAgentId();
        json.put("agentId", agentId);
        agents.find(agentId).ifPresent(agent -> {
            if (agent.llm() != null) {
                json.putObject("resolved").put("provider", agent.llm().provider()).put("model", agent.llm().model());
            } else {
                json.put("problem", agent.llmProblem());
            }
        });
        return json;
    }

    private void switchTo(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "profileId");
        String id = body.requiredString("profileId");
        ModelProfile profile = BUILT_IN.equals(id) ? null : profiles.find(id).orElseThrow(
                () -> new InvalidInputException("profileId", "no profile with id '" + id + "'"));
        settings.putSetting(CURRENT, id, clock.instant());
        agents.useProfile(profile);
        audit.record(AuditEvent.of("profile.switch", Owner.of(ctx), "profile", id, "success", Map.of()));
        ctx.json(current());
    }

    /** A document another server imports: the profile's fields, its key only as the reference it is. */
    private void export(Context ctx) {
        String id = ctx.pathParam("profileId");
        ObjectNode profile;
        if (BUILT_IN.equals(id)) {
            profile = builtIn(null);
            profile.remove("id");
        } else {
            profile = wire(profiles.find(id).orElseThrow(() -> new NotFoundException("profile", id)), null);
        }
        for (String readOnly : new String[] {"builtIn", "isCurrent", "createdAt", "updatedAt", "agentId", "problem"}) {
            profile.remove(readOnly);
        }
        ObjectNode json = Json.object().put("version", 1);
        json.set("profile", profile);
        ctx.json(json);
    }

    /** Takes an export document ({@code {version, profile}}) or a bare profile; every field is checked. */
    private void importProfile(Context ctx) {
        ObjectNode body = Body.of(ctx).node();
        JsonNode document = body;
        if (body.has("profile")) {
            JsonNode version = body.get("version");
            if (version != null && !(version.isInt() && version.intValue() == 1)) {
                throw new InvalidInputException("version", "must be 1 (the only profile document version)");
            }
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("profile") && !name.equals("version")) {
                    throw new InvalidInputException(name, "is not part of a profile document (version, profile)");
                }
            }
            document = body.get("profile");
            if (!document.isObject()) {
                throw new InvalidInputException("profile", "must be an object");
            }
        }
        Instant now = clock.instant();
        ModelProfile profile = parse((ObjectNode) document, now);
        profiles.add(profile);
        audit.record(AuditEvent.of("profile.import", Owner.of(ctx), "profile", profile.id(), "success",
                Map.of("provider", profile.provider(), "model", profile.model())));
        ctx.status(201).json(wire(profile, currentId()));
    }

    /** Removes a profile; the current one gives way to the built-in profile. The built-in one is protected. */
    private void delete(Context ctx) {
        String id = ctx.pathParam("profileId");
        if (BUILT_IN.equals(id)) {
            throw new ConflictException("The built-in profile '" + BUILT_IN + "' is the default agent's own file and "
                    + "cannot be deleted", Map.of("id", id));
        }
        if (!profiles.delete(id)) {
            throw new NotFoundException("profile", id);
        }
        boolean wasCurrent = id.equals(settings.setting(CURRENT).orElse(null));
        if (wasCurrent) {
            settings.putSetting(CURRENT, BUILT_IN, clock.instant());
            agents.useProfile(null);
        }
        audit.record(AuditEvent.of("profile.delete", Owner.of(ctx), "profile", id, "success",
                Map.of("wasCurrent", String.valueOf(wasCurrent))));
        ctx.json(Json.object().put("deleted", true).put("id", id).put("currentProfileId", currentId()));
    }

    static ModelProfile parse(ObjectNode json, Instant now) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidInputException(name, "is not a profile field (fields: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        String name = text(json, "name", true);
        if (name.length() > 100) {
            throw new InvalidInputException("name", "must be at most 100 characters");
        }
        String id = text(json, "id", false);
        if (id == null) {
            id = Ids.next("prof");
        } else if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("id", "must be 1-64 lower-case letters, digits, '-' or '_'");
        } else if (BUILT_IN.equals(id)) {
            throw new InvalidInputException("id", "'" + BUILT_IN + "' is the built-in profile's id");
        }
        String provider = text(json, "provider", true).toLowerCase(Locale.ROOT);
        if (!Providers.KNOWN.contains(provider)) {
            throw new InvalidInputException("provider", "is not known (known: " + String.join(", ", Providers.KNOWN)
                    + ")");
        }
        String model = text(json, "model", true);
        String baseUrl = text(json, "baseURL", false);
        if (baseUrl != null) {
            try {
                URI uri = new URI(baseUrl);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new InvalidInputException("baseURL", "must be an http or https URL");
                }
            } catch (java.net.URISyntaxException e) {
                throw new InvalidInputException("baseURL", "must be an http or https URL");
            }
        } else if (Providers.OPENAI_COMPATIBLE.equals(provider)) {
            throw new InvalidInputException("baseURL", "is required for provider 'openai-compatible'");
        }
        String apiKey = text(json, "apiKey", false);
        if (apiKey != null) {
            apiKey = apiKey.strip();
            if (SecretReferences.referencedName(apiKey) == null && !ENV_REF.matcher(apiKey).matches()) {
                throw new InvalidInputException("apiKey", "must be a reference, never a key: store the key in the "
                        + "vault (POST /api/vault or /api/llm/key) and give $VAULT:<name>, or give $ENV_VAR");
            }
        }
        Double temperature = null;
        JsonNode t = json.get("temperature");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || t.doubleValue() < 0 || t.doubleValue() > 2) {
                throw new InvalidInputException("temperature", "must be a number from 0 to 2");
            }
            temperature = t.doubleValue();
        }
        Integer maxTokens = null;
        JsonNode m = json.get("maxTokens");
        if (m != null && !m.isNull()) {
            if (!m.canConvertToInt() || !m.isIntegralNumber() || m.intValue() < 1) {
                throw new InvalidInputException("maxTokens", "must be a positive whole number");
            }
            maxTokens = m.intValue();
        }
        return new ModelProfile(id, name, provider, model, baseUrl, apiKey, temperature, maxTokens, now, now);
    }

    private static String text(ObjectNode json, String field, boolean required) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException(field, "is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidInputException(field, "must be a non-empty string");
        }
        return value.asText();
    }

    private ObjectNode wire(ModelProfile p, String currentId) {
        ObjectNode json = Json.object()
                .put("id", p.id())
                .put("name", p.name())
                .put("provider", p.provider())
                .put("model", p.model());
        if (p.baseUrl() != null) {
            json.put("baseURL", p.baseUrl());
        }
        if (p.apiKey() != null) {
            json.put("apiKey", p.apiKey());
        }
        if (p.temperature() != null) {
            json.put("temperature", p.temperature());
        }
        if (p.maxTokens() != null) {
            json.put("maxTokens", p.maxTokens());
        }
        return json.put("builtIn", false)
                .put("isCurrent", p.id().equals(currentId))
                .put("createdAt", p.createdAt().toString())
                .put("updatedAt", p.updatedAt().toString());
    }

    /** The default agent's own file, as resolved without any profile; its key is never shown. */
    private ObjectNode builtIn(String currentId) {
        String agentId = agents.defaultAgentId();
        String agentName = agents.find(agentId).map(a -> a.name()).orElse(agentId);
        ObjectNode json = Json.object().put("id", BUILT_IN).put("name", agentName + " (agent file)");
        Optional<LlmSettings> own = agents.ownLlm(agentId);
        own.ifPresentOrElse(llm -> {
            json.put("provider", llm.provider()).put("model", llm.model());
            if (llm.baseUrl() != null) {
                json.put("baseURL", llm.baseUrl());
            }
            if (llm.temperature() != null) {
                json.put("temperature", llm.temperature());
            }
            if (llm.maxOutputTokens() != null) {
                json.put("maxTokens", llm.maxOutputTokens());
            }
        }, () -> json.putNull("provider").putNull("model")
                .put("problem", "The agent's file names no usable provider; see GET /v1/agent-profiles/" + agentId));
        return json.put("builtIn", true).put("isCurrent", BUILT_IN.equals(currentId)).put("agentId", agentId);
    }

    private String currentId() {
        return stored().map(ModelProfile::id).orElse(BUILT_IN);
    }

    private Optional<ModelProfile> stored() {
        return settings.setting(CURRENT).filter(id -> !BUILT_IN.equals(id)).flatMap(profiles::find);
    }
}
