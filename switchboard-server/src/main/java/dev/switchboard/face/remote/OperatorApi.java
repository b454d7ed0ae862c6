package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.content.TextPart;
import dev.switchboard.face.api.AdminApi;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.McpWire;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.operator.LogEntry;
import dev.switchboard.operator.RecentLogs;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.Submission;
import dev.switchboard.server.ApiKey;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.store.Store;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code /v1/operator/*} of seed 000 for trusted dashboards: the server's status, health and configuration snapshot,
 * the rings of recent errors and log events, the audit log, every user's conversations (without their content), the
 * MCP servers, and the operator's actions. Administrators only; every action is audited with its source address.
 */
public final class OperatorApi {

    private static final int MAX_CONVERSATIONS = 500;

    /** What the server is and how it was started, for status, health and the remote-server snapshot. */
    public record ServerFacts(String version, Instant startedAt, String databaseKind, ServerConfig config,
            ApiKey apiKey, IntSupplier port) {
    }

    private final ServerFacts facts;
    private final RecentLogs logs;
    private final AuditLog audit;
    private final Store store;
    private final Sessions sessions;
    private final RunEngine engine;
    private final AgentCatalog agents;
    private final McpConnections mcp;

    public OperatorApi(ServerFacts facts, RecentLogs logs, AuditLog audit, Store store, Sessions sessions,
            RunEngine engine, AgentCatalog agents, McpConnections mcp) {
        this.facts = facts;
        this.logs = logs;
        this.audit = audit;
        this.store = store;
        this.sessions = sessions;
        this.engine = engine;
        this.agents = agents;
        this.mcp = mcp;
    }

    public void register(Routes routes) {
        routes.admin()
                .get("/v1/operator/status", this::status)
                .get("/v1/operator/health", this::health)
                .get("/v1/operator/errors", ctx -> ring(ctx, true))
                .get("/v1/operator/logs", ctx -> ring(ctx, false))
                .get("/v1/operator/audit", ctx -> ctx.json(AdminApi.auditPage(ctx, audit)))
                .get("/v1/operator/conversations", this::conversations)
                .get("/v1/operator/remote-server", this::remoteServer)
                .get("/v1/operator/mcp", this::mcpStatus)
                .post("/v1/operator/actions/mcp-restart", this::mcpRestart)
                .post("/v1/operator/actions/restart-remote-server", ctx -> cannotRestart(ctx, "remote-server"))
                .post("/v1/operator/actions/restart-app", ctx -> cannotRestart(ctx, "app"))
                .post("/v1/operator/actions/run-agent", this::runAgent);
    }

    private void status(Context ctx) {
        RunEngine.Activity activity = engine.activity();
        int connected = 0;
        int total = 0;
        for (AgentDefinition agent : agents.all()) {
            for (McpServerState server : mcp.servers(agent.id())) {
                total++;
                connected += server.connected() ? 1 : 0;
            }
        }
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        ObjectNode json = Json.object()
                .put("status", "ok")
                .put("version", facts.version())
                .put("startedAt", facts.startedAt().toString())
                .put("uptimeSeconds", uptime().toSeconds());
        json.putObject("agents").put("total", agents.all().size())
                .put("withModel", agents.all().stream().filter(a -> a.llm() != null).count());
        json.putObject("runs").put("active", activity.runningRuns()).put("busySessions", activity.busySessions())
                .put("queuedMessages", activity.queuedMessages());
        json.putObject("mcp").put("connected", connected).put("total", total);
        json.putObject("lastHour").put("errors", logs.count("ERROR", hourAgo))
                .put("warnings", logs.count("WARN", hourAgo));
        ctx.json(json);
    }

    private void health(Context ctx) {
        Runtime runtime = Runtime.getRuntime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        ObjectNode json = Json.object()
                .put("status", "ok")
                .put("version", facts.version())
                .put("startedAt", facts.startedAt().toString())
                .put("uptimeSeconds", uptime().toSeconds())
                .put("database", facts.databaseKind());
        json.putObject("java").put("version", Runtime.version().toString())
                .put("vendor", System.getProperty("java.vendor"))
                .put("vm", System.getProperty("java.vm.name"));
        json.putObject("os").put("name", System.getProperty("os.name"))
                .put("version", System.getProperty("os.version")).put("arch", System.getProperty("os.arch"))
                .put("processors", runtime.availableProcessors());
        json.putObject("memory").put("heapUsedBytes", heap.getUsed()).put("heapCommittedBytes", heap.getCommitted())
                .put("heapMaxBytes", runtime.maxMemory());
        ctx.json(json);
    }

    /** {@code ?limit=} (1..capacity) and {@code ?since=} (ISO-8601), newest first. */
    private void ring(Context ctx, boolean errorsOnly) {
        int capacity = errorsOnly ? logs.errorCapacity() : logs.logCapacity();
        int limit = AdminApi.intParam(ctx, "limit", Math.min(100, capacity), 1, capacity);
        Instant since = AdminApi.time(ctx, "since");
        List<LogEntry> entries = errorsOnly ? logs.errors(since, limit) : logs.logs(since, limit);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (LogEntry entry : entries) {
            list.addObject()
                    .put("seq", entry.seq())
                    .put("at", entry.at().toString())
                    .put("level", entry.level())
                    .put("logger", entry.logger())
                    .put("thread", entry.thread())
                    .put("message", entry.message())
                    .put("exception", entry.exception());
        }
        ctx.json(Json.object().put("capacity", capacity).put("limit", limit).put("count", entries.size())
                .set(errorsOnly ? "errors" : "logs", list));
    }

    /** Every user's sessions, most recently active first: who talks to which agent, how much; never what. */
    private void conversations(Context ctx) {
        int limit = AdminApi.intParam(ctx, "limit", 50, 1, MAX_CONVERSATIONS);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Session session : store.recentSessions(limit)) {
            list.addObject()
                    .put("id", session.id())
                    .put("ownerId", session.ownerId())
                    .put("agentId", session.agentId())
                    .put("title", session.title())
                    .put("messageCount", session.messageCount())
                    .put("createdAt", session.createdAt().toString())
                    .put("lastActivity", session.lastActivity().toString())
                    .put("busy", engine.isBusy(session.id()))
                    .put("queued", engine.queued(session.id()).size())
                    .put("inputTokens", session.tokenUsage().inputTokens())
                    .put("outputTokens", session.tokenUsage().outputTokens())
                    .put("estimatedCost", session.estimatedCost());
        }
        ctx.json(Json.object().put("limit", limit).put("count", list.size()).set("conversations", list));
    }

    /** Where and how the server listens; no secret: the API key's source is named, never its value or hash. */
    private void remoteServer(Context ctx) {
        ServerConfig config = facts.config();
        String host = config.host();
        int port = facts.port().getAsInt();
        ObjectNode json = Json.object()
                .put("running", true)
                .put("bindAddress", host)
                .put("port", port)
                .put("baseUrl", "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
                .put("loopbackOnly", loopback(host))
                .put("tls", false)
                .put("maxRequestBytes", config.limits().maxRequestBytes());
        ObjectNode auth = json.putObject("auth");
        auth.put("apiKeySource", switch (facts.apiKey().origin()) {
            case ENVIRONMENT -> "environment";
            case STORED, GENERATED -> "home";
        });
        auth.put("apiKeyRotatable", facts.apiKey().origin() != ApiKey.Origin.ENVIRONMENT);
        auth.putArray("modes").add("api-key").add("access-token").add("personal-access-token");
        auth.put("registration", config.auth().registration());
        ServerConfig.Cors cors = config.http().cors();
        ObjectNode corsJson = json.putObject("cors").put("enabled", !cors.allowedOrigins().isEmpty())
                .put("allowCredentials", cors.allowCredentials());
        ArrayNode origins = corsJson.putArray("allowedOrigins");
        cors.allowedOrigins().forEach(origins::add);
        ServerConfig.RateLimits limits = config.rateLimits();
        json.putObject("rateLimits")
                .put("perIpPerMinute", limits.perIpPerMinute())
                .put("perCredentialPerMinute", limits.perCredentialPerMinute())
                .put("loginPerIpPerMinute", limits.loginPerIpPerMinute())
                .put("loginFailuresBeforeLockout", limits.loginFailuresBeforeLockout())
                .put("trustForwardedFor", limits.trustForwardedFor());
        ctx.json(json);
    }

    private void mcpStatus(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        int connected = 0;
        int total = 0;
        for (AgentDefinition agent : agents.all()) {
            ObjectNode json = list.addObject().put("agentId", agent.id()).put("agentName", agent.name());
            ArrayNode servers = json.putArray("servers");
            for (McpServerState server : mcp.servers(agent.id())) {
                servers.add(McpWire.server(server, server.persisted()));
                total++;
                connected += server.connected() ? 1 : 0;
            }
        }
        ctx.json(Json.object().put("connected", connected).put("total", total).set("agents", list));
    }

    /**
     * {@code {name?, agentId?}}: restarts every enabled server (of one agent when {@code agentId} is given), or
     * the servers called {@code name}; each restart waits for the connection, and a failure is reported per server.
     */
    private void mcpRestart(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "name", "agentId");
        String name = body.optionalString("name");
        String agentId = body.optionalString("agentId");
        if (agentId != null && agents.find(agentId).isEmpty()) {
            throw new InvalidInputException("agentId", "No agent named '" + agentId + "'");
        }
        List<McpServerState> targets = new ArrayList<>();
        for (AgentDefinition agent : agents.all()) {
            if (agentId != null && !agent.id().equals(agentId)) {
                continue;
            }
            for (McpServerState server : mcp.servers(agent.id())) {
                boolean named = name == null ? server.declaration().enabled() : server.name().equals(name);
                if (named) {
                    targets.add(server);
                }
            }
        }
        if (name != null && targets.isEmpty()) {
            throw new NotFoundException("MCP server", name);
        }
        ArrayNode results = Json.MAPPER.createArrayNode();
        int failed = 0;
        for (McpServerState target : targets) {
            ObjectNode result = results.addObject().put("agentId", target.agentId()).put("name", target.name());
            try {
                McpServerState after = mcp.restart(target.agentId(), target.name());
                result.put("status", after.status());
                if (after.error() != null) {
                    result.put("error", after.error());
                }
            } catch (SwitchboardException e) {
                failed++;
                result.put("status", "failed").put("error", e.getMessage());
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("servers", String.valueOf(targets.size()));
        details.put("failed", String.valueOf(failed));
        if (name != null) {
            details.put("name", name);
        }
        if (agentId != null) {
            details.put("agentId", agentId);
        }
        record(ctx, "operator.mcp.restart", "mcp-server", name, failed == 0 ? "success" : "failure", details);
        ctx.json(Json.object().put("restarted", targets.size() - failed).put("failed", failed)
                .set("servers", results));
    }

    /**
     * Switchboard is one process without a supervisor of its own: it cannot start itself again, and restarting its
     * HTTP server from inside a request would cut that request off and leave nothing to report the outcome. Both
     * restarts are therefore refused, truthfully, with what to do instead.
     */
    private void cannotRestart(Context ctx, String what) {
        record(ctx, "operator.restart", "server", what, "denied", Map.of("reason", "no_supervisor"));
        String message = what.equals("app")
                ? "Switchboard cannot restart itself: it has no supervisor. Restart it with the service manager "
                        + "that runs it (systemd, Docker, launchd) or stop and start 'switchboard serve'"
                : "The remote API is Switchboard's only HTTP server and is not restarted in-process (the request "
                        + "asking would be cut off). Configuration changes take effect when the service is restarted "
                        + "by its service manager; MCP servers restart through /v1/operator/actions/mcp-restart";
        throw new ConflictException("not_available", message, Map.of("action", "restart-" + what,
                "needs", "a service manager (systemd, Docker, launchd) to restart the process"));
    }

    /** {@code {agentId?, message, sessionId?}}: queues the message as the caller, like {@code /api/message}. */
    private void runAgent(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "agentId", "message", "sessionId");
        String message = body.requiredString("message");
        String agentId = body.optionalString("agentId");
        String agent = agentId == null ? agents.defaultAgentId() : agentId;
        if (agents.find(agent).isEmpty()) {
            throw new InvalidInputException("agentId", "No agent named '" + agent + "'");
        }
        String owner = Owner.of(ctx);
        String sessionId = body.optionalString("sessionId");
        Session session = sessionId == null ? sessions.create(owner, null, agent)
                : sessions.getOrCreate(owner, sessionId, agent);
        Submission submission = engine.submit(session, List.of(new TextPart(message)), "default",
                Map.of("source", "operator"));
        record(ctx, "operator.run-agent", "session", session.id(), "success",
                Map.of("agentId", agent, "messageId", submission.messageId()));
        ctx.status(202).json(Json.object()
                .put("accepted", true)
                .put("agentId", agent)
                .put("sessionId", submission.sessionId())
                .put("messageId", submission.messageId())
                .put("queued", !submission.startedNow())
                .put("queueLength", submission.queueLength()));
    }

    private void record(Context ctx, String type, String targetType, String targetId, String outcome,
            Map<String, String> details) {
        audit.record(AuditEvent.of(type, Owner.of(ctx), targetType, targetId, outcome, details)
                .withIp(ClientAddress.of(ctx)));
    }

    private Duration uptime() {
        return Duration.between(facts.startedAt(), Instant.now());
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
