package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.AgentEvent;
import dev.switchboard.agent.AgentEvents;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.AgentRegistry;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.content.Content;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.face.remote.AgentProfileApi;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.user.UserStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Agents as one merged resource (issue 8): seed 003's definitions ({@code /api/agents}, {@code /api/agents/{agentId}}),
 * seed 002's runtime operations on the same resource ({@code message}, {@code pause}, {@code resume}, {@code events}),
 * seed 004's registry ({@code current}, {@code install}, {@code switch}, {@code validate-name}, {@code uninstall},
 * {@code custom/create}) and agent configuration ({@code /api/agent/*}). Agents are server-wide: everyone signed in
 * reads them, administrators change them; what a user sees of an agent's events is their own conversations only.
 */
public final class AgentApi {

    /** Setting that holds the current agent; the remote settings' {@code defaultAgentId} is the same setting. */
    static final String CURRENT_AGENT = "remote.defaultAgentId";
    private static final Pattern REGISTRY_ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern FILE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MAX_EVENTS_PAGE = 200;

    private final FileAgentCatalog agents;
    private final AgentProfileApi profiles;
    private final AgentRegistry registry;
    private final Sessions sessions;
    private final RunEngine engine;
    private final AgentEvents events;
    private final McpConnections mcp;
    private final UserStore settings;
    private final AuditLog audit;
    private final Clock clock;

    public AgentApi(FileAgentCatalog agents, AgentProfileApi profiles, AgentRegistry registry, Sessions sessions,
            RunEngine engine, AgentEvents events, McpConnections mcp, UserStore settings, AuditLog audit,
            Clock clock) {
        this.agents = agents;
        this.profiles = profiles;
        this.registry = registry;
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.mcp = mcp;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get("/api/agents", this::list)
                .get("/api/agents/current", this::current)
                .get("/api/agents/{agentId}", this::get)
                .post("/api/agents/{agentId}/message", this::message)
                .get("/api/agents/{agentId}/events", this::events)
                .post("/api/agents/validate-name", this::validateName)
                .get("/api/agent/path", this::path)
                .get("/api/agent/config", this::config)
                .post("/api/agent/validate", this::validate)
                .get("/api/agent/config/export", this::export);
        routes.admin()
                .post("/api/agents", this::create)
                .patch("/api/agents/{agentId}", ctx -> {
                    require(ctx.pathParam("agentId"));
                    profiles.update(ctx);
                })
                .delete("/api/agents/{agentId}", this::delete)
                .post("/api/agents/{agentId}/pause", this::pause)
                .post("/api/agents/{agentId}/resume", this::resume)
                .post("/api/agents/install", this::install)
                .post("/api/agents/switch", this::switchTo)
                .post("/api/agents/uninstall", this::uninstall)
                .post("/api/agents/custom/create", this::createCustom)
                .post("/api/agent/config", this::saveConfig);
    }

    // ---- definitions (seed 003) and the registry's listing (seed 004)

    /**
     * Seed 004's shape ({@code installed}, {@code available}, {@code current}) for the one GET every product uses;
     * each installed entry also carries seed 003's summary and seed 002's runtime status.
     */
    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode installed = json.putArray("installed");
        agents.all().forEach(agent -> installed.add(summary(agent)));
        ArrayNode available = json.putArray("available");
        registry.entries().stream().filter(entry -> agents.find(entry.id()).isEmpty())
                .forEach(entry -> available.add(entry(entry)));
        json.set("current", currentJson());
        ctx.json(json);
    }

    private void current(Context ctx) {
        ctx.json(currentJson());
    }

    private ObjectNode currentJson() {
        String id = agents.defaultAgentId();
        ObjectNode json = Json.object().put("id", id);
        agents.find(id).ifPresent(agent -> json.put("name", agent.name()));
        return json;
    }

    private void get(Context ctx) {
        String id = ctx.pathParam("agentId");
        AgentDefinition agent = require(id);
        ObjectNode json = profiles.profile(id);
        json.setAll(runtime(agent));
        ctx.json(json);
    }

    private void create(Context ctx) {
        ObjectNode body = Body.of(ctx).node().deepCopy();
        JsonNode idNode = body.remove("id");
        String id;
        if (idNode == null || idNode.isNull()) {
            JsonNode name = body.get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new InvalidInputException("name", "is required (or give an id): the agent's display name");
            }
            id = slug(name.asText());
        } else if (!idNode.isTextual() || !FILE_ID.matcher(idNode.asText()).matches()) {
            throw new InvalidInputException("id", "must be a lower-case agent id: letters, digits, '-', '_', at most "
                    + "64 characters");
        } else {
            id = idNode.asText();
        }
        ObjectNode created = profiles.create(ctx, id, body);
        created.setAll(runtime(require(id)));
        ctx.status(201).json(created);
    }

    /** The coordinator (the agent requests without one go to) and the built-in {@code default} cannot be deleted. */
    private void delete(Context ctx) {
        String id = ctx.pathParam("agentId");
        require(id);
        refuseIfCoordinator(id, "deleted");
        profiles.delete(ctx);
        registry.forget(id);
    }

    private void refuseIfCoordinator(String id, String what) {
        if (id.equals(agents.defaultAgentId()) || FileAgentCatalog.DEFAULT_AGENT.equals(id)) {
            throw new ConflictException("Agent '" + id + "' is the coordinator (the agent used when a request names "
                    + "none) and cannot be " + what + "; switch to another agent first (POST /api/agents/switch)",
                    Map.of("id", id, "reason", "agent_protected"));
        }
    }

    // ---- runtime (seed 002)

    /**
     * Sends a message to the agent in the caller's session ({@code sessionId}, created for this agent when new, or a
     * new one). Answers 202 at once, or the reply with {@code wait: true}.
     */
    private void message(Context ctx) {
        String id = ctx.pathParam("agentId");
        require(id);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "message", "content", "sessionId", "wait");
        String text = body.optionalString("message") != null ? body.optionalString("message")
                : body.optionalString("content");
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("message", "is required and must be a non-empty string");
        }
        String owner = Owner.of(ctx);
        String sessionId = body.optionalString("sessionId");
        Session session = sessionId == null ? sessions.create(owner, null, id)
                : sessions.getOrCreate(owner, sessionId, id);
        Submission submission = engine.submit(session, Content.text(text), "default", Map.of());
        ObjectNode json = Json.object()
                .put("agentId", id)
                .put("sessionId", session.id())
                .put("messageId", submission.messageId())
                .put("queued", !submission.startedNow())
                .put("paused", engine.isAgentPaused(id));
        if (!body.optionalBoolean("wait", false)) {
            ctx.status(202).json(json);
            return;
        }
        RunOutcome outcome;
        try {
            outcome = submission.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the answer", e);
        }
        json.put("status", outcome.status().wireName())
                .put("finishReason", outcome.finishReason())
                .put("response", outcome.text());
        if (outcome.error() != null) {
            json.putObject("error").put("code", outcome.error().code()).put("message", outcome.error().message());
        }
        ctx.json(json);
    }

    private void pause(Context ctx) {
        String id = ctx.pathParam("agentId");
        AgentDefinition agent = require(id);
        boolean changed = engine.pauseAgent(id);
        audit.record(AuditEvent.of("agent.pause", Owner.of(ctx), "agent", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        ctx.json(runtime(agent).put("id", id).put("changed", changed));
    }

    private void resume(Context ctx) {
        String id = ctx.pathParam("agentId");
        AgentDefinition agent = require(id);
        boolean changed = engine.resumeAgent(id);
        audit.record(AuditEvent.of("agent.resume", Owner.of(ctx), "agent", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        ctx.json(runtime(agent).put("id", id).put("changed", changed));
    }

    /** The caller's events of the agent after the cursor: the last 200 from memory, older ones from the store. */
    private void events(Context ctx) {
        String id = ctx.pathParam("agentId");
        require(id);
        long after = longParam(ctx, "after", 0);
        int limit = AdminApi.intParam(ctx, "limit", 100, 1, MAX_EVENTS_PAGE);
        AgentEvents.Page page = events.page(id, Owner.of(ctx), after, limit);
        ObjectNode json = Json.object().put("agentId", id);
        ArrayNode list = json.putArray("events");
        for (AgentEvent event : page.events()) {
            ObjectNode item = Json.object().put("id", event.seq()).put("seq", event.seq()).put("type", event.name());
            try {
                item.set("data", Json.MAPPER.readTree(event.data()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                item.put("data", event.data());
            }
            item.put("sessionId", event.sessionId()).put("timestamp", event.timestamp().toEpochMilli());
            list.add(item);
        }
        json.put("nextCursor", page.nextCursor()).put("hasMore", page.hasMore());
        ctx.json(json);
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed < 0) {
                throw new InvalidInputException(name, name + " must not be negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " must be a whole number (the seq of the last event seen)");
        }
    }

    // ---- the registry (seed 004)

    private void install(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "id", "name", "sourcePath", "metadata");
        String id = registryId(body.requiredString("id"));
        if (agents.find(id).isPresent()) {
            throw new ConflictException("Agent '" + id + "' is installed already",
                    Map.of("id", id, "reason", "agent_exists"));
        }
        String sourcePath = body.optionalString("sourcePath");
        String yaml;
        AgentRegistry.Entry entry = registry.find(id).orElse(null);
        if (sourcePath != null && !sourcePath.isBlank()) {
            yaml = registry.yamlAt(sourcePath);
        } else if (entry != null) {
            yaml = registry.yamlOf(id);
        } else {
            throw new NotFoundException("No agent '" + id + "' in the registry; give sourcePath to install a file "
                    + "of the home's registry/ folder", Map.of("id", id));
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isObject()) {
            throw new InvalidInputException("metadata", "must be an object (description, author, tags)");
        }
        String author = metadata != null && metadata.path("author").isTextual() ? metadata.path("author").asText()
                : entry == null ? null : entry.author();
        List<String> tags = metadata != null && metadata.has("tags") ? strings(metadata.get("tags"), "metadata.tags")
                : entry == null ? List.of() : entry.tags();
        String type = entry != null && sourcePath == null ? entry.type() : "custom";
        AgentDefinition agent = saveYaml(id, yaml, "sourcePath");
        String name = body.optionalString("name");
        if (name != null && !name.isBlank()) {
            agent = rename(id, name);
        }
        registry.saveMetadata(id, author, tags, type);
        opened(agent);
        audit.record(AuditEvent.of("agent.install", Owner.of(ctx), "agent", id, "success", Map.of("type", type))
                .withIp(ClientAddress.of(ctx)));
        ctx.status(201).json(Json.object().put("installed", true).put("id", id).put("name", agent.name())
                .put("type", type));
    }

    private void switchTo(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "id", "path");
        String id = body.requiredString("id");
        String path = body.optionalString("path");
        if (path != null && !path.isBlank()) {
            java.nio.file.Path file = java.nio.file.Path.of(path).toAbsolutePath().normalize();
            if (!file.equals(agents.pathOf(id).toAbsolutePath().normalize())) {
                throw new InvalidInputException("path", "must be the file of agent '" + id + "' in the agents/ "
                        + "folder (" + agents.pathOf(id) + "); install other files first");
            }
        }
        AgentDefinition agent = require(id);
        settings.putSetting(CURRENT_AGENT, id, clock.instant());
        agents.preferDefault(id);
        audit.record(AuditEvent.of("agent.switch", Owner.of(ctx), "agent", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("switched", true).put("id", id).put("name", agent.name()));
    }

    private void validateName(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "id", "path");
        String id = body.requiredString("id");
        ObjectNode json = Json.object();
        if (!REGISTRY_ID.matcher(id).matches()) {
            json.put("valid", false).put("message", "An agent id is 1 to 64 lower-case letters, digits or '-'");
        } else if (agents.find(id).isPresent()) {
            json.put("valid", false).put("conflict", "installed")
                    .put("message", "Agent '" + id + "' is installed already");
        } else if (registry.find(id).isPresent()) {
            json.put("valid", false).put("conflict", "registry")
                    .put("message", "Agent '" + id + "' is the id of an agent of the registry; install it instead");
        } else {
            json.put("valid", true).put("message", "The id '" + id + "' is free");
        }
        ctx.json(json);
    }

    private void uninstall(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "id", "force");
        String id = body.requiredString("id");
        boolean force = body.optionalBoolean("force", false);
        require(id);
        if (FileAgentCatalog.DEFAULT_AGENT.equals(id) || (id.equals(agents.defaultAgentId()) && !force)) {
            refuseIfCoordinator(id, "uninstalled");
        }
        if (id.equals(agents.defaultAgentId())) {
            // forced: requests that name no agent go back to the built-in default
            settings.putSetting(CURRENT_AGENT, FileAgentCatalog.DEFAULT_AGENT, clock.instant());
            agents.preferDefault(null);
        }
        for (McpServerState server : mcp.servers(id)) {
            mcp.remove(id, server.name());
        }
        agents.deleteAgent(id);
        registry.forget(id);
        audit.record(AuditEvent.of("agent.uninstall", Owner.of(ctx), "agent", id, "success",
                Map.of("force", String.valueOf(force))).withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("uninstalled", true).put("id", id));
    }

    private void createCustom(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "id", "name", "description", "author", "tags", "config");
        String id = registryId(body.requiredString("id"));
        String name = body.requiredString("name");
        String description = body.requiredString("description");
        JsonNode config = body.get("config");
        if (!(config instanceof ObjectNode configObject)) {
            throw new InvalidInputException("config", "is required: the agent's configuration, an object with the "
                    + "keys of an agent file (systemPrompt, llm, tools, mcpServers, permissions, ...)");
        }
        if (agents.find(id).isPresent()) {
            throw new ConflictException("Agent '" + id + "' exists already",
                    Map.of("id", id, "reason", "agent_exists"));
        }
        List<String> tags = body.get("tags") == null ? List.of() : strings(body.get("tags"), "tags");
        ObjectNode file = configObject.deepCopy();
        file.put("name", name).put("description", description);
        refuseLiteralKey(file, "config.llm.apiKey");
        AgentDefinition agent;
        try {
            agent = agents.saveAgent(id, file);
        } catch (ConfigException e) {
            throw invalid("config", e);
        }
        registry.saveMetadata(id, body.optionalString("author"), tags, "custom");
        opened(agent);
        audit.record(AuditEvent.of("agent.create", Owner.of(ctx), "agent", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        ctx.status(201).json(Json.object().put("created", true).put("id", id).put("name", agent.name()));
    }

    // ---- agent configuration (seed 004): the current agent unless ?agentId= names another

    private void path(Context ctx) {
        String id = configured(ctx);
        java.nio.file.Path file = agents.pathOf(id);
        ctx.json(Json.object().put("path", file.toAbsolutePath().toString())
                .put("relativePath", "agents/" + file.getFileName())
                .put("name", file.getFileName().toString().replaceFirst("\\.ya?ml$", ""))
                .put("isDefault", id.equals(agents.defaultAgentId())));
    }

    private void config(Context ctx) {
        String id = configured(ctx);
        java.nio.file.Path file = agents.pathOf(id);
        ObjectNode json = Json.object().put("agentId", id).put("yaml", masked(agents.yaml(id).orElseThrow()))
                .put("path", file.toAbsolutePath().toString())
                .put("relativePath", "agents/" + file.getFileName());
        try {
            json.put("lastModified", java.nio.file.Files.getLastModifiedTime(file).toInstant().toString());
        } catch (java.io.IOException e) {
            // the file vanished meanwhile: the text above is still what was read
        }
        ctx.json(json);
    }

    private void export(Context ctx) {
        String id = configured(ctx);
        ctx.header("Content-Disposition", "attachment; filename=\"" + id + ".yml\"");
        ctx.contentType("application/x-yaml; charset=utf-8").result(masked(agents.yaml(id).orElseThrow()));
    }

    /** Checks agent file text without saving it; problems come back with their line and column. */
    private void validate(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "yaml", "agentId");
        JsonNode yaml = body.get("yaml");
        if (yaml == null || !yaml.isTextual()) {
            throw new InvalidInputException("yaml", "is required: the agent file's YAML text");
        }
        String id = body.optionalString("agentId") == null ? agents.defaultAgentId() : body.optionalString("agentId");
        ObjectNode json = Json.object();
        ArrayNode errors = json.putArray("errors");
        ArrayNode warnings = json.putArray("warnings");
        try {
            AgentDefinition agent = agents.validate(id, unmasked(id, yaml.asText()));
            if (agent.llm() == null) {
                warnings.add(Json.object().put("path", "llm").put("message", agent.llmProblem())
                        .put("code", "llm_not_configured"));
            }
        } catch (ConfigException e) {
            errors.add(error(e));
        }
        json.put("valid", errors.isEmpty());
        ctx.json(json);
    }

    /** Saves the YAML (the previous file kept as {@code .bak}) and applies it at once, without a restart. */
    private void saveConfig(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "yaml", "agentId");
        String yaml = body.requiredString("yaml");
        String id = body.optionalString("agentId") == null ? agents.defaultAgentId() : body.optionalString("agentId");
        require(id);
        AgentDefinition before = agents.find(id).orElseThrow();
        AgentDefinition after = saveYaml(id, unmasked(id, yaml), "yaml");
        List<String> changes = changes(before, after);
        if (!before.mcpServers().equals(after.mcpServers())) {
            for (McpServerState server : mcp.servers(id)) {
                mcp.remove(id, server.name());
            }
            opened(after);
        }
        audit.record(AuditEvent.of("agent.config.save", Owner.of(ctx), "agent", id, "success",
                Map.of("changes", String.join(",", changes))).withIp(ClientAddress.of(ctx)));
        ObjectNode json = Json.object().put("ok", true)
                .put("path", agents.pathOf(id).toAbsolutePath().toString())
                .put("reloaded", true)
                .put("restarted", false);
        ArrayNode applied = json.putArray("changesApplied");
        changes.forEach(applied::add);
        json.put("message", changes.isEmpty() ? "Saved; nothing changed"
                : "Saved and applied from the next message on; the previous file is kept as "
                        + agents.pathOf(id).getFileName() + ".bak");
        ctx.json(json);
    }

    private String configured(Context ctx) {
        String id = ctx.queryParam("agentId");
        String agentId = id == null || id.isBlank() ? agents.defaultAgentId() : id;
        require(agentId);
        return agentId;
    }

    /** What saving a file can change of an agent, by the file's key. */
    private static final List<Map.Entry<String, java.util.function.Function<AgentDefinition, Object>>> KEYS = List.of(
            Map.entry("name", AgentDefinition::name), Map.entry("description", AgentDefinition::description),
            Map.entry("systemPrompt", AgentDefinition::systemPrompt), Map.entry("llm", AgentDefinition::llm),
            Map.entry("tools", AgentDefinition::tools), Map.entry("mcpServers", AgentDefinition::mcpServers),
            Map.entry("permissions", AgentDefinition::permissions), Map.entry("greeting", AgentDefinition::greeting),
            Map.entry("workspace", AgentDefinition::workspace), Map.entry("expose", AgentDefinition::exposure));

    private static List<String> changes(AgentDefinition before, AgentDefinition after) {
        return KEYS.stream().filter(key -> !java.util.Objects.equals(key.getValue().apply(before),
                key.getValue().apply(after))).map(Map.Entry::getKey).toList();
    }

    // ---- helpers

    private AgentDefinition saveYaml(String id, String yaml, String field) {
        refuseNewLiteralKey(id, yaml, field);
        try {
            return agents.saveAgentYaml(id, yaml);
        } catch (ConfigException e) {
            throw invalid(field, e);
        }
    }

    private AgentDefinition rename(String id, String name) {
        ObjectNode file = agents.declaration(id).orElseThrow();
        file.put("name", name);
        try {
            return agents.saveAgent(id, file);
        } catch (ConfigException e) {
            throw invalid("name", e);
        }
    }

    private void opened(AgentDefinition agent) {
        if (agent.workspace() != null) {
            try {
                java.nio.file.Files.createDirectories(agent.workspace());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot create the workspace of agent '" + agent.id() + "'", e);
            }
        }
        mcp.open(agent);
    }

    /** A configuration problem as a 400 naming the field, with the line, column and key. */
    private static InvalidInputException invalid(String field, ConfigException e) {
        return new InvalidInputException(field, e.getMessage().replaceFirst("^agents/[^:]+(:\\d+:\\d+)?: ", ""),
                Map.of("line", e.line(), "column", e.column(), "path", e.key() == null ? "" : e.key()));
    }

    private static ObjectNode error(ConfigException e) {
        return Json.object().put("line", e.line()).put("column", e.column())
                .put("path", e.key() == null ? "" : e.key())
                .put("message", e.getMessage().replaceFirst("^agents/[^:]+(:\\d+:\\d+)?: ", ""))
                .put("code", e.getMessage().contains("invalid YAML") ? "yaml_syntax" : "schema");
    }

    private static final Pattern LITERAL_KEY = Pattern.compile("(?m)^(\\s*apiKey:\\s*)(?![\"']?\\$)(\\S.*)$");
    private static final String MASK = "\"********\"";

    /** The file's text with literal API keys (not {@code $VAR} or {@code $VAULT:} references) masked. */
    private static String masked(String yaml) {
        return LITERAL_KEY.matcher(yaml).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /** Puts back the current literal API key where text read through {@link #masked} still has the mask. */
    private String unmasked(String id, String yaml) {
        if (!yaml.contains(MASK)) {
            return yaml;
        }
        java.util.regex.Matcher current = LITERAL_KEY.matcher(agents.yaml(id).orElse(""));
        return current.find() ? yaml.replace(MASK, current.group(2).strip()) : yaml;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    /**
     * Refuses a literal API key the agent's file does not have already: a key belongs in the vault, the file names
     * it ({@code $VAULT:name}) or an environment variable ({@code $VAR}). Text that does not parse is left to the
     * loader's checks, which name the line.
     */
    private void refuseNewLiteralKey(String id, String yaml, String field) {
        JsonNode key;
        try {
            key = YAML.readTree(yaml).path("llm").path("apiKey");
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return;
        }
        if (key.isMissingNode() || key.isNull() || (key.isTextual() && key.asText().strip().startsWith("$"))) {
            return;
        }
        String existing = null;
        try {
            JsonNode own = YAML.readTree(agents.yaml(id).orElse("{}")).path("llm").path("apiKey");
            existing = own.isTextual() ? own.asText() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the stored file is the loader's business; the new text still may not add a key
        }
        if (!key.asText().equals(existing)) {
            throw new InvalidInputException(field, "llm.apiKey must be a reference: store the key in the vault "
                    + "(POST /api/vault or /api/llm/key) and give $VAULT:<name>, or give $ENV_VAR");
        }
    }

    private static void refuseLiteralKey(ObjectNode file, String field) {
        JsonNode key = file.path("llm").path("apiKey");
        if (!key.isMissingNode() && !key.isNull() && !(key.isTextual() && key.asText().strip().startsWith("$"))) {
            throw new InvalidInputException(field, "must be a reference: store the key in the vault (POST "
                    + "/api/vault or /api/llm/key) and give $VAULT:<name>, or give $ENV_VAR");
        }
    }

    private AgentDefinition require(String id) {
        return agents.find(id).orElseThrow(() -> new NotFoundException("agent", id));
    }

    private static String registryId(String id) {
        if (!REGISTRY_ID.matcher(id).matches()) {
            throw new InvalidInputException("id", "must match ^[a-z0-9-]+$ (at most 64 characters)");
        }
        return id;
    }

    private static List<String> strings(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new InvalidInputException(field, "must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > 64) {
                throw new InvalidInputException(field, "must hold non-empty strings of at most 64 characters");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            throw new InvalidInputException("name", "must contain letters or digits to derive the agent's id from; "
                    + "or give an id");
        }
        return slug.length() > 64 ? slug.substring(0, 64).replaceAll("-+$", "") : slug;
    }

    private ObjectNode summary(AgentDefinition agent) {
        AgentRegistry.Entry meta = registry.installedMetadata(agent.id(), agent.name(), agent.description());
        ObjectNode json = entry(meta);
        if (agent.llm() != null) {
            json.putObject("model").put("provider", agent.llm().provider()).put("model", agent.llm().model());
        }
        json.put("isCurrent", agent.id().equals(agents.defaultAgentId()));
        json.setAll(runtime(agent));
        return json;
    }

    private static ObjectNode entry(AgentRegistry.Entry entry) {
        ObjectNode json = Json.object().put("id", entry.id()).put("name", entry.name())
                .put("description", entry.description());
        if (entry.author() != null) {
            json.put("author", entry.author());
        }
        ArrayNode tags = json.putArray("tags");
        entry.tags().forEach(tags::add);
        json.put("type", entry.type());
        return json;
    }

    /**
     * Seed 002's runtime facts: {@code status} is {@code disabled}, {@code unconfigured} (no usable model),
     * {@code paused}, {@code running} or {@code idle}.
     */
    private ObjectNode runtime(AgentDefinition agent) {
        int running = engine.runningRuns(agent.id());
        String status = !agents.isEnabled(agent.id()) ? "disabled"
                : agent.llm() == null ? "unconfigured"
                : engine.isAgentPaused(agent.id()) ? "paused"
                : running > 0 ? "running" : "idle";
        return Json.object().put("status", status).put("runningRuns", running)
                .put("paused", engine.isAgentPaused(agent.id()))
                .put("coordinator", agent.id().equals(agents.defaultAgentId()));
    }
}
