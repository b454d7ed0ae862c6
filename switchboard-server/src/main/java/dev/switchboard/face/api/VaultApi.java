package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.vault.Vault;
import dev.switchboard.vault.VaultEntry;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The caller's vault (seed 002 {@code /api/vault}) and credentials stored for an agent (seed 003
 * {@code POST /api/agents/{agentId}/credentials}). Every entry belongs to the caller; another owner's entry is a 404.
 * Values go in and never come out: responses carry the masked {@code hint} only.
 */
public final class VaultApi {

    private static final int MAX_CREDENTIALS = 50;

    private final Vault vault;
    private final AgentCatalog agents;

    public VaultApi(Vault vault, AgentCatalog agents) {
        this.vault = vault;
        this.agents = agents;
    }

    public void register(Routes routes) {
        routes.get("/api/vault", this::list)
                .post("/api/vault", this::create)
                .patch("/api/vault/{entryId}", this::update)
                .delete("/api/vault/{entryId}", this::delete)
                .post("/api/vault/{entryId}/rotate", this::rotate)
                .post("/api/agents/{agentId}/credentials", this::storeCredentials);
    }

    private void list(Context ctx) {
        ArrayNode entries = Json.MAPPER.createArrayNode();
        Instant now = Instant.now();
        for (VaultEntry entry : vault.list(Owner.of(ctx))) {
            entries.add(entry(entry, now));
        }
        ctx.json(Json.object().put("ok", true).set("entries", entries));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "name", "value", "description", "allowedAgents", "allowedTools", "expiresAt");
        VaultEntry entry = vault.create(Owner.of(ctx), Owner.of(ctx), new Vault.Draft(body.requiredString("name"),
                requiredValue(body, "value"), body.optionalString("description"),
                strings(body.get("allowedAgents"), "allowedAgents"), strings(body.get("allowedTools"), "allowedTools"),
                instant(body.get("expiresAt"), "expiresAt")));
        ctx.status(201).json(Json.object().put("ok", true).set("entry", entry(entry, Instant.now())));
    }

    /** Metadata only; a new value is a rotation, so that the version and {@code rotatedAt} always tell. */
    private void update(Context ctx) {
        Body body = Body.of(ctx);
        if (body.node().has("value")) {
            throw new InvalidInputException("value", "cannot be changed here: POST /api/vault/{entryId}/rotate with the "
                    + "new value");
        }
        JsonCheck.onlyFields(body, "name", "description", "allowedAgents", "allowedTools", "expiresAt");
        ObjectNode node = body.node();
        Vault.Changes changes = new Vault.Changes(
                node.has("name") ? body.requiredString("name") : null,
                node.has("description") ? Optional.ofNullable(body.optionalString("description")) : null,
                node.has("allowedAgents") ? strings(body.get("allowedAgents"), "allowedAgents") : null,
                node.has("allowedTools") ? strings(body.get("allowedTools"), "allowedTools") : null,
                node.has("expiresAt") ? Optional.ofNullable(instant(body.get("expiresAt"), "expiresAt")) : null);
        VaultEntry entry = vault.update(Owner.of(ctx), Owner.of(ctx), ctx.pathParam("entryId"), changes);
        ctx.json(Json.object().put("ok", true).set("entry", entry(entry, Instant.now())));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("entryId");
        vault.delete(Owner.of(ctx), Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private void rotate(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "value");
        VaultEntry entry = vault.rotate(Owner.of(ctx), Owner.of(ctx), ctx.pathParam("entryId"),
                requiredValue(body, "value"));
        ctx.json(Json.object().put("ok", true).set("entry", entry(entry, Instant.now())));
    }

    /**
     * Stores {@code credentials} (names to values) as entries only this agent may read; a name the caller already
     * keeps for this agent alone is rotated to the new value, any other existing name is a conflict.
     */
    private void storeCredentials(Context ctx) {
        String agentId = ctx.pathParam("agentId");
        if (agents.find(agentId).isEmpty()) {
            throw new NotFoundException("agent", agentId);
        }
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "credentials", "description", "allowedTools", "expiresAt");
        JsonNode credentials = body.get("credentials");
        if (credentials == null || !credentials.isObject() || credentials.isEmpty()) {
            throw new InvalidInputException("credentials", "is required and must be an object of names to values");
        }
        if (credentials.size() > MAX_CREDENTIALS) {
            throw new InvalidInputException("credentials", "must have at most " + MAX_CREDENTIALS + " entries");
        }
        String owner = Owner.of(ctx);
        String description = body.optionalString("description");
        List<String> tools = strings(body.get("allowedTools"), "allowedTools");
        Instant expiresAt = instant(body.get("expiresAt"), "expiresAt");
        // check every credential before storing any, so a bad one leaves nothing half stored
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, VaultEntry> existing = new LinkedHashMap<>();
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) credentials::fields) {
            String name = field.getKey();
            String at = "credentials." + name;
            if (!Vault.NAME.matcher(name).matches()) {
                throw new InvalidInputException(at, "the name must be 1..100 letters, digits, '_', '.' or '-'");
            }
            if (!field.getValue().isTextual() || field.getValue().asText().isEmpty()) {
                throw new InvalidInputException(at, "must be a non-empty string");
            }
            Optional<VaultEntry> found = vault.findByName(owner, name);
            if (found.isPresent() && !found.get().allowedAgents().equals(List.of(agentId))) {
                throw new ConflictException("A vault entry named '" + name + "' exists already and is not this "
                        + "agent's alone", Map.of("field", at, "name", name));
            }
            found.ifPresent(entry -> existing.put(name, entry));
            values.put(name, field.getValue().asText());
        }
        ArrayNode stored = Json.MAPPER.createArrayNode();
        Instant now = Instant.now();
        values.forEach((name, value) -> {
            VaultEntry entry = existing.containsKey(name)
                    ? vault.rotate(owner, owner, existing.get(name).id(), value)
                    : vault.create(owner, owner, new Vault.Draft(name, value, description, List.of(agentId), tools,
                            expiresAt));
            stored.add(entry(entry, now));
        });
        ctx.status(201).json(Json.object().put("ok", true).put("agentId", agentId).set("entries", stored));
    }

    /** An entry as clients see it: everything but the value. */
    static ObjectNode entry(VaultEntry e, Instant now) {
        ObjectNode json = Json.object()
                .put("id", e.id())
                .put("name", e.name())
                .put("hint", e.hint());
        if (e.description() != null) {
            json.put("description", e.description());
        }
        ArrayNode agents = json.putArray("allowedAgents");
        e.allowedAgents().forEach(agents::add);
        ArrayNode tools = json.putArray("allowedTools");
        e.allowedTools().forEach(tools::add);
        if (e.expiresAt() != null) {
            json.put("expiresAt", e.expiresAt().toEpochMilli());
        }
        json.put("expired", e.expired(now))
                .put("version", e.version())
                .put("createdAt", e.createdAt().toEpochMilli())
                .put("updatedAt", e.updatedAt().toEpochMilli());
        if (e.rotatedAt() != null) {
            json.put("rotatedAt", e.rotatedAt().toEpochMilli());
        }
        return json;
    }

    /** A secret: a non-empty string kept exactly as sent (spaces included). */
    private static String requiredValue(Body body, String field) {
        String value = body.optionalString(field);
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is required and must be a non-empty string");
        }
        return value;
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException(field, "must be an array of strings");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a string");
            }
            items.add(node.get(i).asText());
        }
        return items;
    }

    /** Epoch milliseconds or an ISO-8601 instant ({@code 2030-01-01T00:00:00Z}); null clears. */
    private static Instant instant(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        if (node.canConvertToLong() && node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(field, "must be epoch milliseconds or an ISO-8601 instant such as "
                        + "2030-01-01T00:00:00Z");
            }
        }
        throw new InvalidInputException(field, "must be epoch milliseconds or an ISO-8601 instant");
    }
}
