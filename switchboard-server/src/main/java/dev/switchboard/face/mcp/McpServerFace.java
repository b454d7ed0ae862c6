package dev.switchboard.face.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.event.EventHub;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.run.RunEngine;
import dev.switchboard.session.Sessions;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switchboard as an MCP server: the streamable HTTP endpoint {@code /mcp} (and the same scoped to one of the caller's
 * sessions, {@code /mcp/{acpSessionToken}}), plus {@code tools/list} and {@code tools/call} as plain JSON routes.
 * The protocol is the MCP Java SDK's; the HTTP side is {@link StreamableHttpTransport} on the server's own routes,
 * behind the API key and the {@link DnsRebindingGuard}.
 */
public final class McpServerFace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpServerFace.class);
    private static final String TOKEN = "acpSessionToken";
    private static final String INSTRUCTIONS = "Each agent_<id> tool sends a message to one Switchboard agent and "
            + "returns its answer; pass the sessionId of a result back to continue that conversation. Tools named "
            + "<agentId>__<tool> run one tool of that agent directly, under the agent's permissions.";

    private final ExposedTools tools;
    private final Sessions sessions;
    private final DnsRebindingGuard guard;
    private final McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    private final StreamableHttpTransport transport;
    private final McpSyncServer server;
    private Map<String, McpSchema.Tool> registered = Map.of();

    public McpServerFace(AgentCatalog agents, AgentTools agentTools, Sessions sessions, RunEngine engine,
            EventHub events, ApprovalGate approvals, ArgumentCheck argumentCheck, ServerConfig config,
            String version) {
        int keepAlive = config.limits().keepAliveSeconds();
        this.tools = new ExposedTools(agents, agentTools, sessions, engine, events, approvals, argumentCheck,
                keepAlive);
        this.sessions = sessions;
        this.guard = new DnsRebindingGuard(config.host(), config.mcpServer());
        this.transport = new StreamableHttpTransport(mapper, keepAlive, this::syncTools);
        this.server = McpServer.sync(transport)
                .serverInfo("switchboard", version)
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).logging().build())
                .jsonMapper(mapper)
                .immediateExecution(true)
                .validateToolInputs(false)
                .requestTimeout(Duration.ofMinutes(2))
                .build();
        syncTools();
    }

    public void register(Routes routes) {
        routes.post("/mcp", guarded(transport::post))
                .get("/mcp", guarded(transport::get))
                .delete("/mcp", guarded(transport::delete))
                .post("/mcp/tools/list", guarded(this::listTools))
                .post("/mcp/tools/call", guarded(this::callTool))
                .post("/mcp/{" + TOKEN + "}", guarded(transport::post))
                .get("/mcp/{" + TOKEN + "}", guarded(transport::get))
                .delete("/mcp/{" + TOKEN + "}", guarded(transport::delete))
                .post("/mcp/{" + TOKEN + "}/tools/list", guarded(this::listTools))
                .post("/mcp/{" + TOKEN + "}/tools/call", guarded(this::callTool));
    }

    /** A route's work, given who calls and in which session. */
    private interface Scoped {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    /** Checks Host and Origin, then the token: it must name a session of the caller (else 404). */
    private Handler guarded(Scoped handler) {
        return ctx -> {
            guard.check(ctx.header("Host"), ctx.header("Origin"));
            String owner = Owner.of(ctx);
            String token = ctx.pathParamMap().get(TOKEN);
            if (token != null) {
                sessions.get(owner, token);
            }
            handler.handle(ctx, new Caller(owner, token));
        };
    }

    private void listTools(Context ctx, Caller caller) throws Exception {
        Body.of(ctx);
        Map<String, Object> answer = Map.of("tools", tools.offered().stream().map(ExposedTools.Offered::descriptor)
                .toList());
        ctx.contentType("application/json").result(mapper.writeValueAsString(answer));
    }

    private void callTool(Context ctx, Caller caller) throws Exception {
        Body body = Body.of(ctx);
        String name = body.requiredString("name");
        JsonNode arguments = body.get("arguments");
        if (arguments != null && !arguments.isObject()) {
            throw new InvalidInputException("arguments", "must be a JSON object");
        }
        Map<String, Object> args = arguments == null ? Map.of()
                : Json.MAPPER.convertValue(arguments, new TypeReference<Map<String, Object>>() {
                });
        McpSchema.CallToolResult result = tools.call(name, args, caller, CallProgress.NONE);
        ctx.contentType("application/json").result(mapper.writeValueAsString(result));
    }

    /** Brings the SDK's tool list in line with the tools on offer now (agents' MCP tools come and go). */
    private synchronized void syncTools() {
        Map<String, McpSchema.Tool> now = new LinkedHashMap<>();
        tools.offered().forEach(o -> now.put(o.descriptor().name(), o.descriptor()));
        for (String name : registered.keySet()) {
            if (!now.containsKey(name) || !now.get(name).equals(registered.get(name))) {
                server.removeTool(name);
            }
        }
        now.forEach((name, descriptor) -> {
            if (!descriptor.equals(registered.get(name))) {
                server.addTool(new McpServerFeatures.SyncToolSpecification(descriptor, this::call));
            }
        });
        registered = Map.copyOf(now);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        McpTransportContext context = exchange.transportContext();
        Caller caller = new Caller((String) context.get(StreamableHttpTransport.OWNER),
                (String) context.get(StreamableHttpTransport.TOKEN));
        McpResponse response = (McpResponse) context.get(StreamableHttpTransport.RESPONSE);
        Object progressToken = request.meta() == null ? null : request.meta().get("progressToken");
        try {
            return tools.call(request.name(), request.arguments(), caller,
                    new ExchangeProgress(exchange, progressToken, response));
        } catch (NotFoundException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message("Unknown tool: " + request.name())
                    .build();
        }
    }

    /** Progress of a call made over the MCP endpoint: notifications when the client asked, keep-alives else. */
    private record ExchangeProgress(McpSyncServerExchange exchange, Object token, McpResponse response)
            implements CallProgress {

        @Override
        public boolean wanted() {
            return token != null;
        }

        @Override
        public void report(double progress, String message) {
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(token, progress, null, message));
            }
        }

        @Override
        public void idle() {
            if (response != null) {
                response.keepAlive();
            }
        }
    }

    /**
     * Answers calls still waiting for an agent and ends every MCP session and stream; call before the HTTP server
     * stops, so that it does not wait for them.
     */
    @Override
    public void close() {
        tools.close();
        try {
            transport.closeGracefully().block(Duration.ofSeconds(5));
            server.close();
        } catch (RuntimeException e) {
            LOG.warn("The MCP server did not stop cleanly: {}", e.toString());
        }
    }
}
