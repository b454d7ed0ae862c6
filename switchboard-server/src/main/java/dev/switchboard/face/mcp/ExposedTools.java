package dev.switchboard.face.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.approval.ToolPolicy;
import dev.switchboard.content.Content;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.event.SessionEvents;
import dev.switchboard.face.api.Json;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.RunFailedException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOfMessage;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolGuard;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Switchboard offers as MCP tools: every agent whose YAML leaves {@code expose.mcp} on, as {@code agent_<id>}
 * (a message in, the agent's answer out), and the agent's own tools its {@code expose.tools} names, as
 * {@code <agentId>__<tool>}, run under the same argument check and permissions as in a run.
 */
final class ExposedTools implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExposedTools.class);

    static final String AGENT_PREFIX = "agent_";
    static final String SEPARATOR = "__";
    /** The {@code _meta} key of a result that carries the Switchboard session the call ran in. */
    static final String SESSION_META = "dev.switchboard/sessionId";

    static final String AGENT_INPUT_SCHEMA = """
            {"type":"object","properties":{\
            "message":{"type":"string","minLength":1,"description":"What to say to the agent"},\
            "sessionId":{"type":"string","minLength":1,"description":"Continue this Switchboard session (the \
            sessionId of an earlier result) instead of starting a new conversation"}},\
            "required":["message"],"additionalProperties":false}""";

    private static final String AGENT_OUTPUT_SCHEMA = """
            {"type":"object","properties":{\
            "response":{"type":"string","description":"The agent's answer"},\
            "sessionId":{"type":"string","description":"Pass it back as sessionId to continue the conversation"},\
            "runId":{"type":"string"},\
            "finishReason":{"type":"string"}},\
            "required":["response","sessionId"]}""";

    /** One tool on offer: its MCP descriptor, the agent behind it and, for an agent's own tool, that tool. */
    record Offered(McpSchema.Tool descriptor, AgentDefinition agent, Tool ownTool) {
    }

    private final AgentCatalog agents;
    private final AgentTools agentTools;
    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final ApprovalGate approvals;
    private final ArgumentCheck argumentCheck;
    private final ToolGuard guard;
    private final long keepAliveMillis;
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ExposedTools(AgentCatalog agents, AgentTools agentTools, Sessions sessions, RunEngine engine, EventHub events,
            ApprovalGate approvals, ArgumentCheck argumentCheck, int keepAliveSeconds) {
        this.agents = agents;
        this.agentTools = agentTools;
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.approvals = approvals;
        this.argumentCheck = argumentCheck;
        this.guard = new ToolGuard(argumentCheck, approvals);
        this.keepAliveMillis = TimeUnit.SECONDS.toMillis(keepAliveSeconds);
    }

    /** The tools on offer now, agent by agent: the agent itself, then the tools of its own it exposes. */
    List<Offered> offered() {
        List<Offered> offered = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AgentDefinition agent : agents.all()) {
            if (agent.exposure().enabled()) {
                add(offered, names, new Offered(agentDescriptor(agent), agent, null));
            }
            if (agent.exposure().tools().isEmpty()) {
                continue;
            }
            Map<String, Tool> own = new LinkedHashMap<>();
            agentTools.of(agent).forEach(tool -> own.put(tool.spec().name(), tool));
            for (String name : agent.exposure().tools()) {
                Tool tool = own.get(name);
                if (tool == null) {
                    LOG.debug("Agent {} exposes tool {}, which it does not have now", agent.id(), name);
                    continue;
                }
                add(offered, names, new Offered(ownToolDescriptor(agent, tool), agent, tool));
            }
        }
        return offered;
    }

    private static void add(List<Offered> offered, Set<String> names, Offered tool) {
        if (names.add(tool.descriptor().name())) {
            offered.add(tool);
        } else {
            LOG.warn("Two exposed tools are both named {}; only the first is offered", tool.descriptor().name());
        }
    }

    Optional<Offered> find(String name) {
        return offered().stream().filter(o -> o.descriptor().name().equals(name)).findFirst();
    }

    /**
     * Calls a tool. Failures of the call itself (bad arguments, a refused permission, a failed run) come back as
     * a result with {@code isError}; only a tool that does not exist throws.
     *
     * @throws NotFoundException when no tool of that name is on offer
     */
    McpSchema.CallToolResult call(String name, Map<String, Object> arguments, Caller caller, CallProgress progress) {
        Offered offered = find(name).orElseThrow(() -> new NotFoundException("tool", name));
        String json = Json.write(arguments == null ? Map.of() : arguments);
        if (offered.ownTool() == null) {
            return askAgent(offered, json, caller, progress);
        }
        return runOwnTool(offered, json, caller);
    }

    private McpSchema.CallToolResult askAgent(Offered offered, String arguments, Caller caller,
            CallProgress progress) {
        AgentDefinition agent = offered.agent();
        String name = offered.descriptor().name();
        List<String> problems = argumentCheck.problems(AGENT_INPUT_SCHEMA, arguments);
        if (!problems.isEmpty()) {
            return error("Invalid arguments for '" + name + "': " + String.join("; ", problems), null);
        }
        JsonNode args = parse(arguments);
        Session session;
        try {
            session = sessionFor(agent, args.path("sessionId").asText(null), caller);
        } catch (SwitchboardException e) {
            return error(e.getMessage(), null);
        }
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        SessionEvents.Subscription subscription = progress.wanted()
                ? events.of(session.id()).subscribe(-1, queue::add) : null;
        Thread self = Thread.currentThread();
        waiting.add(self);
        try {
            if (closed) {
                return error("The server is stopping", session.id());
            }
            Submission submission;
            try {
                submission = engine.submit(session, Content.text(args.path("message").asText()), null, Map.of());
            } catch (SwitchboardException e) {
                return error(e.getMessage(), session.id());
            }
            submission.outcome().whenComplete((outcome, failure) -> queue.add(submission));
            RunOfMessage ofThisMessage = new RunOfMessage(submission.messageId());
            int step = 0;
            while (!submission.outcome().isDone()) {
                Object next = queue.poll(keepAliveMillis, TimeUnit.MILLISECONDS);
                if (next == null) {
                    progress.idle();
                } else if (next instanceof Event event && ofThisMessage.test(event)) {
                    String message = describe(event.payload());
                    if (message != null) {
                        progress.report(++step, message);
                    }
                }
            }
            return answer(submission);
        } catch (InterruptedException e) {
            return error("The server stopped before the agent answered", session.id());
        } finally {
            waiting.remove(self);
            Thread.interrupted();
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    /**
     * The session a message to {@code agent} goes to: the one the arguments name (created for the agent when it
     * does not exist yet), else the token's session, else a new one.
     */
    private Session sessionFor(AgentDefinition agent, String sessionId, Caller caller) {
        String wanted = sessionId != null ? sessionId : caller.token();
        if (wanted == null) {
            return sessions.create(caller.ownerId(), null, agent.id());
        }
        try {
            return sessions.getOrCreate(caller.ownerId(), wanted, agent.id());
        } catch (ConflictException otherAgent) {
            throw new ConflictException(otherAgent.getMessage() + "; call " + AGENT_PREFIX
                    + otherAgent.details().get("agentId") + " to continue it, or pass another sessionId",
                    otherAgent.details());
        }
    }

    private McpSchema.CallToolResult answer(Submission submission) {
        RunOutcome outcome;
        try {
            outcome = submission.await();
        } catch (RunFailedException e) {
            return error(e.getMessage(), submission.sessionId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("The server stopped before the agent answered", submission.sessionId());
        }
        if (outcome.status() == RunStatus.FAILED) {
            return error("The agent's run failed: " + outcome.error().message(), outcome.sessionId());
        }
        if (outcome.status() == RunStatus.CANCELLED) {
            return error("The agent's run was cancelled", outcome.sessionId());
        }
        String text = outcome.text() == null ? "" : outcome.text();
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("response", text);
        structured.put("sessionId", outcome.sessionId());
        structured.put("runId", outcome.runId());
        structured.put("finishReason", outcome.finishReason());
        return McpSchema.CallToolResult.builder()
                .addTextContent(text.isEmpty() ? "(no text answer; the run ended with " + outcome.finishReason() + ")"
                        : text)
                .addTextContent("[sessionId: " + outcome.sessionId() + " - pass it as sessionId to continue this "
                        + "conversation]")
                .structuredContent(structured)
                .meta(Map.of(SESSION_META, outcome.sessionId()))
                .isError(false)
                .build();
    }

    /** A short line for the progress of the run, or null for events not worth one. */
    private static String describe(EventPayload payload) {
        return switch (payload) {
            case EventPayload.Thinking thinking -> "Thinking (step " + thinking.step() + ")";
            case EventPayload.Chunk chunk when "text".equals(chunk.chunkType()) -> chunk.content();
            case EventPayload.ToolRunning running -> "Running tool " + running.toolName();
            case EventPayload.ToolResult result -> "Tool " + result.toolName()
                    + (result.success() ? " finished" : " failed");
            case EventPayload.ApprovalRequested asked -> "Waiting for a person to approve " + asked.toolName();
            default -> null;
        };
    }

    private McpSchema.CallToolResult runOwnTool(Offered offered, String arguments, Caller caller) {
        AgentDefinition agent = offered.agent();
        Tool tool = offered.ownTool();
        String toolName = tool.spec().name();
        ToolOutcome outcome = switch (guard.vet(caller.ownerId(), agent, tool, toolName,
                offered.descriptor().name(), arguments)) {
            case ToolGuard.Verdict.Refuse refused -> refused.outcome();
            case ToolGuard.Verdict.Ask ask -> ToolOutcome.failure("Not allowed: under the permissions of agent '"
                    + agent.id() + "' (mode " + agent.permissions().mode() + "), '" + toolName + "' needs a person's "
                    + "approval, and a direct MCP call has no conversation to ask in. Allow it with "
                    + "permissions.alwaysAllow (or mode auto-approve) to call it here.");
            case ToolGuard.Verdict.Run run -> ToolGuard.run(tool, arguments, new ToolContext(caller.ownerId(),
                    agent.id(), caller.token(), null, Ids.next("call"), new Cancellation(), agent.workspace(),
                    ToolInteraction.NONE));
        };
        if (!outcome.success()) {
            return error(outcome.error(), caller.token());
        }
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
                .addTextContent(outcome.output() == null ? "" : outcome.output())
                .isError(false);
        if (caller.token() != null) {
            result.meta(Map.of(SESSION_META, caller.token()));
        }
        return result.build();
    }

    private static McpSchema.CallToolResult error(String message, String sessionId) {
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
                .addTextContent(message)
                .isError(true);
        if (sessionId != null) {
            result.meta(Map.of(SESSION_META, sessionId));
        }
        return result.build();
    }

    private static McpSchema.Tool agentDescriptor(AgentDefinition agent) {
        String about = agent.description() == null || agent.description().isBlank() ? ""
                : agent.description().strip() + (agent.description().strip().endsWith(".") ? " " : ". ");
        return McpSchema.Tool.builder()
                .name(toolName(AGENT_PREFIX + agent.id()))
                .title(agent.name() == null ? agent.id() : agent.name())
                .description(about + "Sends a message to the Switchboard agent '" + agent.id() + "' and returns its "
                        + "answer. Each call starts a new conversation unless sessionId (from an earlier result) is "
                        + "given.")
                .inputSchema(schema(AGENT_INPUT_SCHEMA))
                .outputSchema(schema(AGENT_OUTPUT_SCHEMA))
                .annotations(new McpSchema.ToolAnnotations(null, false, false, false, true, null))
                .build();
    }

    private static McpSchema.Tool ownToolDescriptor(AgentDefinition agent, Tool tool) {
        String description = tool.spec().description() == null ? "" : tool.spec().description().strip();
        return McpSchema.Tool.builder()
                .name(toolName(agent.id() + SEPARATOR + tool.spec().name()))
                .description((description.isEmpty() ? "" : description + " ") + "(Tool '" + tool.spec().name()
                        + "' of the Switchboard agent '" + agent.id() + "', under its permissions.)")
                .inputSchema(schema(tool.spec().parametersSchema()))
                .annotations(new McpSchema.ToolAnnotations(null, tool.risk() == ToolRisk.READS,
                        tool.risk() == ToolRisk.DANGEROUS, null, null, null))
                .build();
    }

    /** A name MCP clients accept: letters, digits, {@code _ - .}, at most 128 characters. */
    static String toolName(String raw) {
        String clean = raw.replaceAll("[^A-Za-z0-9_.-]", "_");
        return clean.length() <= 128 ? clean : clean.substring(0, 128);
    }

    private static Map<String, Object> schema(String json) {
        if (json == null || json.isBlank()) {
            return Map.of("type", "object");
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            return Map.of("type", "object");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("arguments checked as JSON could not be read again", e);
        }
    }

    /** Calls still waiting for an agent answer that the server is stopping. */
    @Override
    public void close() {
        closed = true;
        waiting.forEach(Thread::interrupt);
    }
}
