package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.vault.SecretReferences;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/agent-profiles} (seed 000): an agent profile is an agent, its fields the keys of
 * {@code agents/<id>.yml} with the same names, plus {@code id} (the file name) and read-only facts. Writes go to the
 * file (the previous one kept as {@code .bak}), are validated as the loader validates, and apply from the next run.
 */
public final class AgentProfileApi {

    /** The file keys a profile may write; {@code mcpServers} and {@code workspace} stay with the file and /api/mcp. */
    static final Set<String> WRITABLE = Set.of("name", "description", "systemPrompt", "greeting", "llm", "tools",
            "permissions", "expose", "enabled");
    static final String MASK = "********";

    private final FileAgentCatalog agents;
    private final McpConnections mcp;
    private final AuditLog audit;

    public AgentProfileApi(FileAgentCatalog agents, McpConnections mcp, AuditLog audit) {
        this.agents = agents;
        this.mcp = mcp;
        this.audit = audit;
    }

    public void register(Routes routes) {
        routes.get("/v1/agent-profiles", this::list)
                .get("/v1/agent-profiles/{agentId}", ctx -> ctx.json(profile(id(ctx))));
        routes.admin()
                .post("/v1/agent-profiles", this::create)
                .patch("/v1/agent-profiles/{agentId}", this::update)
                .delete("/v1/agent-profiles/{agentId}", this::delete)
                .post("/v1/agent-profiles/{agentId}/toggle", this::toggle);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        var list = json.putArray("profiles");
        agents.all().forEach(a -> list.add(profile(a.id())));
        ctx.json(json);
    }

    private void create(Context ctx) {
        ObjectNode body = Body.of(ctx).node().deepCopy();
        JsonNode idNode = body.remove("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            throw new InvalidInputException("id", "is required: a lower-case agent id (letters, digits, '-', '_')");
        }
        ctx.status(201).json(create(ctx, idNode.asText(), body));
    }

    /**
     * Creates the agent {@code id} from the profile fields of {@code body} (the file's keys), opens its MCP servers,
     * and answers its profile; seed 003's {@code POST /api/agents} shares it.
     */
    public ObjectNode create(Context ctx, String id, ObjectNode body) {
        if (agents.find(id).isPresent()) {
            throw new ConflictException("An agent named '" + id + "' exists already", Map.of("id", id));
        }
        checkWritable(body, null);
        AgentDefinition agent = save(id, body);
        createWorkspace(agent);
        mcp.open(agent);
        audit.record(AuditEvent.of("agent.create", Owner.of(ctx), "agent", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        return profile(id);
    }

    /** Merges the body into the file: top-level keys replace, {@code llm} merges key by key, null removes a key. */
    public void update(Context ctx) {
        String id = id(ctx);
        ObjectNode current = declaration(id);
        ObjectNode patch = Body.of(ctx).node();
        checkWritable(patch, current);
        ObjectNode merged = current.deepCopy();
        patch.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                merged.remove(entry.getKey());
            } else if (entry.getKey().equals("llm") && merged.get("llm") instanceof ObjectNode llm) {
                value.fields().forEachRemaining(f -> {
                    if (f.getValue().isNull()) {
                        llm.remove(f.getKey());
                    } else if (!(f.getKey().equals("apiKey") && MASK.equals(f.getValue().asText()))) {
                        llm.set(f.getKey(), f.getValue());
                    }
                });
            } else {
                merged.set(entry.getKey(), value);
            }
        });
        save(id, merged);
        audit.record(AuditEvent.of("agent.update", Owner.of(ctx), "agent", id, "success",
                Map.of("keys", String.join(",", iterable(patch.fieldNames())))).withIp(ClientAddress.of(ctx)));
        ctx.json(profile(id));
    }

    /** Removes the agent's file (kept as {@code .bak}) and its MCP connections; {@code default} is protected. */
    public void delete(Context ctx) {
        String id = id(ctx);
        declaration(id);
        if (FileAgentCatalog.DEFAULT_AGENT.equals(id)) {
            throw new ConflictException("The built-in agent 'default' cannot be deleted; disable it instead",
                    Map.of("id", id));
        }
        for (McpServerState server : mcp.servers(id)) {
            mcp.remove(id, server.name());
        }
        agents.deleteAgent(id);
        audit.record(AuditEvent.of("agent.delete", Owner.of(ctx), "agent", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("deleted", true).put("id", id));
    }

    /** Flips {@code enabled} (or sets it from {@code {enabled}}); a disabled agent refuses runs. */
    private void toggle(Context ctx) {
        String id = id(ctx);
        ObjectNode current = declaration(id);
        Body body = Body.of(ctx);
        dev.switchboard.face.api.JsonCheck.onlyFields(body, "enabled");
        boolean enabled = body.optionalBoolean("enabled", !agents.isEnabled(id));
        ObjectNode changed = current.deepCopy();
        if (enabled) {
            changed.remove("enabled");
        } else {
            changed.put("enabled", false);
        }
        save(id, changed);
        audit.record(AuditEvent.of("agent.toggle", Owner.of(ctx), "agent", id, "success",
                Map.of("enabled", String.valueOf(enabled))).withIp(ClientAddress.of(ctx)));
        ctx.json(profile(id));
    }

    private AgentDefinition save(String id, ObjectNode content) {
        try {
            return agents.saveAgent(id, content);
        } catch (ConfigException e) {
            String field = e.key() == null ? "body" : e.key();
            throw new InvalidInputException(field, e.getMessage().replaceFirst("^agents/[^:]+(:\\d+:\\d+)?: ", ""));
        }
    }

    /**
     * Refuses keys a profile cannot write and literal API keys: a key belongs in the vault, the profile names it
     * ({@code $VAULT:name}) or an environment variable ({@code $VAR}).
     */
    private static void checkWritable(ObjectNode body, ObjectNode current) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!WRITABLE.contains(name)) {
                throw new InvalidInputException(name, "cannot be set through a profile (writable: "
                        + String.join(", ", new java.util.TreeSet<>(WRITABLE)) + ")"
                        + (name.equals("mcpServers") ? "; manage MCP servers with /api/mcp/servers" : ""));
            }
        }
        JsonNode llm = body.get("llm");
        if (llm != null && !llm.isNull() && !llm.isObject()) {
            throw new InvalidInputException("llm", "must be an object");
        }
        JsonNode apiKey = llm == null ? null : llm.get("apiKey");
        if (apiKey != null && !apiKey.isNull()) {
            String key = apiKey.asText();
            boolean unchanged = MASK.equals(key) && current != null;
            boolean reference = apiKey.isTextual() && key.strip().startsWith("$");
            if (!unchanged && !reference) {
                throw new InvalidInputException("llm.apiKey", "must be a reference: store the key in the vault "
                        + "(POST /api/vault or /api/llm/key) and give $VAULT:<name>, or give $ENV_VAR");
            }
        }
    }

    /** The agent as a profile: its file's keys (literal API keys masked) and read-only facts. */
    public ObjectNode profile(String id) {
        AgentDefinition agent = agents.find(id).orElseThrow(() -> new NotFoundException("agent", id));
        ObjectNode file = declaration(id);
        ObjectNode json = Json.object().put("id", id);
        file.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("mcpServers") && !f.getKey().equals("enabled")) {
                json.set(f.getKey(), f.getValue());
            }
        });
        json.put("name", agent.name());
        if (json.get("llm") instanceof ObjectNode llm && llm.hasNonNull("apiKey")) {
            String key = llm.get("apiKey").asText();
            llm.put("apiKey", key.strip().startsWith("$") || SecretReferences.referencedName(key) != null ? key : MASK);
        }
        var servers = json.putArray("mcpServers");
        agent.mcpServers().keySet().forEach(servers::add);
        json.put("enabled", agents.isEnabled(id))
                .put("builtIn", FileAgentCatalog.DEFAULT_AGENT.equals(id))
                .put("isDefault", id.equals(agents.defaultAgentId()))
                .put("usable", agent.llm() != null);
        if (agent.llm() != null) {
            json.putObject("model").put("provider", agent.llm().provider()).put("model", agent.llm().model());
        } else {
            json.put("problem", agent.llmProblem());
        }
        return json;
    }

    private ObjectNode declaration(String id) {
        return agents.declaration(id).orElseThrow(() -> new NotFoundException("agent", id));
    }

    private static String id(Context ctx) {
        return ctx.pathParam("agentId");
    }

    private static void createWorkspace(AgentDefinition agent) {
        if (agent.workspace() == null) {
            return;
        }
        try {
            Files.createDirectories(agent.workspace());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the workspace of agent '" + agent.id() + "'", e);
        }
    }

    private static Iterable<String> iterable(Iterator<String> names) {
        return () -> names;
    }
}
