package dev.switchboard.hook;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.approval.ToolPolicy;
import dev.switchboard.content.TextPart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventPayload;
import dev.switchboard.event.TapWorker;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.identity.Secrets;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.notification.Notifications;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.store.Store;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hooks of seed 002: an owner's rules that react to the runs of their sessions (through the event hub's tap), to a
 * schedule (the scheduler calls {@link #fire}) or to an incoming webhook carrying the hook's secret. A hook whose
 * conditions hold and whose cooldown and maximum allow it runs its actions in order, and every firing is logged.
 * Event-triggered hooks run on a worker, never on the run's thread.
 */
public final class Hooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_NAME = 100;
    public static final int MAX_DESCRIPTION = 1_000;
    public static final int MAX_CONDITIONS = 20;
    public static final int MAX_ACTIONS = 10;
    public static final int MAX_TEXT = 4_000;
    public static final int MIN_SECRET = 16;
    /** The prefix of the session a hook's {@code run_agent} action talks in; events there never set that hook off. */
    public static final String SESSION_PREFIX = "hook-";

    /** What a new or replaced hook says. */
    public record Draft(String name, String description, HookTrigger trigger, String agentId, String cron,
            List<HookCondition> conditions, List<HookAction> actions, int priority, Duration cooldown,
            Integer maxExecutions, boolean enabled, String secret) {
    }

    /** A created hook, with the secret of an incoming hook when the server generated it (shown this once). */
    public record Created(Hook hook, String generatedSecret) {
    }

    /** A schedule-triggered hook, for the scheduler. */
    public record Scheduled(String hookId, String ownerId, String cron, boolean enabled) {
    }

    private final HookStore store;
    private final Store sessionsStore;
    private final Sessions sessions;
    private final RunEngine engine;
    private final AgentCatalog agents;
    private final AgentTools tools;
    private final ArgumentCheck argumentCheck;
    private final Notifications notifications;
    private final AddressPolicy policy;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CALL_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    private final TapWorker worker = new TapWorker("hooks", 10_000, this::handle);
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The enabled hooks of each trigger, read at most every few seconds: every run's events are matched against
     * them, and most servers have few or none. A change through this node clears it at once; one made through
     * another node is seen when the entry ages out.
     */
    private final Map<HookTrigger, Enabled> enabled = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Duration ENABLED_MAX_AGE = Duration.ofSeconds(5);

    private record Enabled(List<Hook> hooks, Instant readAt) {
    }

    public Hooks(HookStore store, Store sessionsStore, Sessions sessions, RunEngine engine, AgentCatalog agents,
            AgentTools tools, ArgumentCheck argumentCheck, Notifications notifications, AddressPolicy policy,
            Clock clock) {
        this.store = store;
        this.sessionsStore = sessionsStore;
        this.sessions = sessions;
        this.engine = engine;
        this.agents = agents;
        this.tools = tools;
        this.argumentCheck = argumentCheck;
        this.notifications = notifications;
        this.policy = policy;
        this.clock = clock;
    }

    public Hooks start() {
        worker.start();
        return this;
    }

    /** Told after any hook is created, replaced, enabled, disabled or deleted (the scheduler re-plans). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private void changed() {
        enabled.clear();
        for (Runnable listener : changeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A hook change listener failed: {}", e.toString());
            }
        }
    }

    // ---- CRUD

    public Created create(String ownerId, Draft draft) {
        String generated = null;
        String secret = draft.secret();
        if (draft.trigger() == HookTrigger.WEBHOOK && secret == null) {
            generated = Secrets.token("hks_");
            secret = generated;
        }
        Instant now = clock.instant();
        Hook hook = validated(new Hook(Ids.next("hook"), ownerId, draft.name(), draft.description(), draft.trigger(),
                draft.agentId(), draft.cron(), draft.conditions(), draft.actions(), draft.priority(), draft.cooldown(),
                draft.maxExecutions(), draft.enabled(), secretHash(draft.trigger(), secret), 0, null, now, now),
                secret);
        store.add(hook);
        changed();
        return new Created(hook, generated);
    }

    /** Replaces the hook's definition; an incoming hook keeps its secret unless a new one is given. */
    public Hook update(String ownerId, String id, Draft draft) {
        Hook old = get(ownerId, id);
        String hash = draft.secret() != null ? secretHash(draft.trigger(), draft.secret())
                : draft.trigger() == HookTrigger.WEBHOOK ? old.secretHash() : null;
        if (draft.trigger() == HookTrigger.WEBHOOK && hash == null) {
            throw new InvalidInputException("secret", "an incoming (webhook) hook needs a secret of at least "
                    + MIN_SECRET + " characters");
        }
        Hook hook = validated(new Hook(id, ownerId, draft.name(), draft.description(), draft.trigger(),
                draft.agentId(), draft.cron(), draft.conditions(), draft.actions(), draft.priority(), draft.cooldown(),
                draft.maxExecutions(), draft.enabled(), hash, old.executionCount(), old.lastExecutedAt(),
                old.createdAt(), clock.instant()), draft.secret());
        if (!store.update(hook)) {
            throw new NotFoundException("hook", id);
        }
        changed();
        return get(ownerId, id);
    }

    public Hook get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("hook", id));
    }

    public List<Hook> list(String ownerId) {
        return store.list(ownerId);
    }

    public Hook setEnabled(String ownerId, String id, boolean enabled) {
        if (!store.setEnabled(ownerId, id, enabled, clock.instant())) {
            throw new NotFoundException("hook", id);
        }
        changed();
        return get(ownerId, id);
    }

    public void delete(String ownerId, String id) {
        if (!store.delete(ownerId, id)) {
            throw new NotFoundException("hook", id);
        }
        changed();
    }

    public List<HookExecution> executions(String ownerId, String id, int limit, int offset) {
        get(ownerId, id);
        return store.executions(ownerId, id, limit, offset);
    }

    /** Every schedule-triggered hook of every owner, for the scheduler to plan. */
    public List<Scheduled> scheduled() {
        return store.enabledOf(HookTrigger.SCHEDULE).stream()
                .map(h -> new Scheduled(h.id(), h.ownerId(), h.cron(), h.enabled()))
                .toList();
    }

    // ---- firing

    /**
     * Fires the hook now, as its schedule (or the lead's scheduler) asks: conditions, cooldown and maximum apply.
     *
     * @return the execution, or empty when the hook is gone, disabled, held back or its conditions fail
     */
    public Optional<HookExecution> fire(String hookId, Map<String, Object> payload) {
        Optional<Hook> hook = store.findAny(hookId);
        if (hook.isEmpty() || !hook.get().enabled()) {
            return Optional.empty();
        }
        return run(hook.get(), hook.get().trigger().wireName(), payload == null ? Map.of() : payload);
    }

    /**
     * An incoming webhook: the secret must match the hook's (compared in constant time). An unknown hook answers as
     * a wrong secret does, so that the route tells nothing about which hooks exist.
     *
     * @throws UnauthorizedException when the hook is unknown, not an incoming one, or the secret is wrong
     */
    public Optional<HookExecution> incoming(String hookId, String secret, Map<String, Object> body) {
        Optional<Hook> hook = store.findAny(hookId);
        byte[] presented = Secrets.sha256(secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8);
        byte[] expected = hook.filter(h -> h.trigger() == HookTrigger.WEBHOOK && h.secretHash() != null)
                .map(h -> h.secretHash().getBytes(StandardCharsets.UTF_8))
                .orElse(new byte[presented.length]);
        boolean matches = MessageDigest.isEqual(presented, expected);
        if (!matches || hook.isEmpty() || secret == null) {
            throw new UnauthorizedException("invalid_hook_secret", "Unknown hook or wrong secret",
                    Map.of("header", "X-Hook-Secret"));
        }
        if (!hook.get().enabled()) {
            return Optional.empty();
        }
        return run(hook.get(), HookTrigger.WEBHOOK.wireName(), Map.of("event", "webhook", "hookId", hookId,
                "body", body == null ? Map.of() : body));
    }

    /** For the event hub's tap: never blocks; the worker matches the event to hooks. */
    public void onEvent(Event event) {
        if (!triggerOf(event).isEmpty()) {
            worker.offer(event);
        }
    }

    private void handle(Event event) {
        List<HookTrigger> triggers = triggerOf(event);
        if (triggers.stream().allMatch(trigger -> enabledOf(trigger).isEmpty())) {
            return;
        }
        Optional<Session> session = sessionsStore.findSessionOfAnyOwner(event.sessionId());
        if (session.isEmpty()) {
            return;
        }
        Map<String, Object> payload = payload(event, session.get());
        for (HookTrigger trigger : triggers) {
            for (Hook hook : enabledOf(trigger)) {
                if (!hook.ownerId().equals(session.get().ownerId())
                        || hook.agentId() != null && !hook.agentId().equals(session.get().agentId())
                        || event.sessionId().startsWith(SESSION_PREFIX + hook.id())) {
                    continue;
                }
                run(hook, trigger.wireName(), payload);
            }
        }
    }

    private List<Hook> enabledOf(HookTrigger trigger) {
        Instant now = Instant.now();
        Enabled known = enabled.get(trigger);
        if (known == null || known.readAt().plus(ENABLED_MAX_AGE).isBefore(now)) {
            known = new Enabled(store.enabledOf(trigger), now);
            enabled.put(trigger, known);
        }
        return known.hooks();
    }

    /** The triggers an event sets off. */
    static List<HookTrigger> triggerOf(Event event) {
        return switch (event.payload()) {
            case EventPayload.RunStarted r -> List.of(HookTrigger.MESSAGE_RECEIVED, HookTrigger.AGENT_STARTED);
            case EventPayload.RunComplete c -> switch (c.finishReason()) {
                case "error", "interrupted" -> List.of(HookTrigger.AGENT_FAILED);
                case "cancelled" -> List.of();
                default -> List.of(HookTrigger.AGENT_COMPLETED);
            };
            case EventPayload.ToolResult t -> List.of(HookTrigger.TOOL_EXECUTED);
            case EventPayload.ApprovalRequested a -> List.of(HookTrigger.APPROVAL_REQUESTED);
            default -> List.of();
        };
    }

    private static Map<String, Object> payload(Event event, Session session) {
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("event", event.name());
        payload.put("sessionId", event.sessionId());
        if (event.runId() != null) {
            payload.put("runId", event.runId());
        }
        payload.put("agentId", session.agentId());
        payload.put("timestamp", event.timestamp().toString());
        payload.put("payload", JSON.convertValue(event.payload(), MAP));
        return payload;
    }

    private Optional<HookExecution> run(Hook hook, String trigger, Map<String, Object> payload) {
        for (HookCondition condition : hook.conditions()) {
            if (!condition.test(payload)) {
                return Optional.empty();
            }
        }
        Instant now = clock.instant();
        if (!store.claimExecution(hook.id(), now)) {
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        ArrayNode results = JSON.createArrayNode();
        boolean allOk = true;
        for (HookAction action : hook.actions()) {
            ObjectNode result = results.addObject().put("type", action.type());
            try {
                perform(hook, action, payload, result);
                result.put("success", true);
            } catch (RuntimeException e) {
                allOk = false;
                result.put("success", false).put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        HookExecution execution = new HookExecution(Ids.next("hex"), hook.id(), hook.ownerId(), trigger,
                JSON.valueToTree(payload).toString(), allOk ? "success" : "failed", results.toString(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), now);
        store.addExecution(execution);
        return Optional.of(execution);
    }

    private void perform(Hook hook, HookAction action, Map<String, Object> payload, ObjectNode result) {
        switch (action) {
            case HookAction.Notify n -> {
                var created = notifications.notify(hook.ownerId(), "hook", fill(n.title(), payload),
                        fill(n.message() == null ? "" : n.message(), payload),
                        Map.of("hookId", hook.id(), "hookName", hook.name()));
                result.put("notificationId", created.id());
            }
            case HookAction.RunAgent r -> {
                String agentId = r.agentId() == null ? agents.defaultAgentId() : r.agentId();
                Session session = sessions.getOrCreate(hook.ownerId(), SESSION_PREFIX + hook.id() + "-" + agentId,
                        agentId);
                Submission submitted = engine.submit(session, List.of(new TextPart(fill(r.prompt(), payload))),
                        "default", Map.of("hookId", hook.id()));
                result.put("sessionId", session.id()).put("messageId", submitted.messageId());
            }
            case HookAction.CallWebhook c -> {
                URI uri = URI.create(c.url());
                policy.check("url", uri);
                String body = JSON.createObjectNode().put("hookId", hook.id()).put("hookName", hook.name())
                        .set("payload", JSON.valueToTree(payload)).toString();
                HttpResponse<Void> response;
                try {
                    response = http.send(HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "Switchboard-Hooks")
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    throw new IllegalStateException("call failed: " + e.getClass().getSimpleName());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
                result.put("statusCode", response.statusCode());
                if (response.statusCode() < 200 || response.statusCode() >= 300) {
                    throw new IllegalStateException("the webhook answered HTTP " + response.statusCode());
                }
            }
            case HookAction.ExecuteTool t -> {
                AgentDefinition agent = agent(t.agentId());
                Tool tool = tools.of(agent).stream().filter(x -> x.spec().name().equals(t.tool())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("agent '" + agent.id() + "' has no tool '"
                                + t.tool() + "'"));
                ToolPolicy.Ruling ruling = ToolPolicy.decide(agent.permissions(), tool.risk(), t.tool(),
                        Optional.empty());
                if (ruling.verdict() != ToolPolicy.Verdict.ALLOW) {
                    throw new IllegalStateException("'" + t.tool() + "' needs a person's approval under agent '"
                            + agent.id() + "''s permissions, and a hook runs unattended");
                }
                List<String> problems = argumentCheck.problems(tool.spec().parametersSchema(), t.arguments());
                if (!problems.isEmpty()) {
                    throw new IllegalStateException("arguments: " + String.join("; ", problems));
                }
                ToolOutcome outcome = tool.execute(t.arguments(), new ToolContext(hook.ownerId(), agent.id(), null,
                        null, Ids.next("call"), new Cancellation(), agent.workspace(), ToolInteraction.NONE));
                result.put("output", outcome.success() ? outcome.output() : outcome.error());
                if (!outcome.success()) {
                    throw new IllegalStateException("the tool failed: " + outcome.error());
                }
            }
        }
    }

    /** {@code {{path}}} replaced by the payload's value at that dotted path (empty when there is none). */
    static String fill(String template, Map<String, Object> payload) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = HookCondition.at(payload, m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---- validation

    private Hook validated(Hook hook, String secret) {
        if (hook.name() == null || hook.name().isBlank() || hook.name().length() > MAX_NAME) {
            throw new InvalidInputException("name", "is required, 1 to " + MAX_NAME + " characters");
        }
        if (hook.description() != null && hook.description().length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (hook.agentId() != null) {
            agent(hook.agentId(), "trigger.agentId");
        }
        if (hook.trigger() == HookTrigger.SCHEDULE) {
            cron(hook.cron());
        } else if (hook.cron() != null) {
            throw new InvalidInputException("trigger.cron", "only a schedule trigger takes a cron expression");
        }
        if (hook.trigger() == HookTrigger.WEBHOOK && secret != null && secret.length() < MIN_SECRET) {
            throw new InvalidInputException("secret", "must be at least " + MIN_SECRET + " characters");
        }
        if (hook.conditions().size() > MAX_CONDITIONS) {
            throw new InvalidInputException("conditions", "at most " + MAX_CONDITIONS + " conditions");
        }
        for (int i = 0; i < hook.conditions().size(); i++) {
            HookCondition c = hook.conditions().get(i);
            if (c.operator() == HookCondition.Operator.MATCHES) {
                try {
                    Pattern.compile(String.valueOf(c.value()));
                } catch (PatternSyntaxException e) {
                    throw new InvalidInputException("conditions[" + i + "].value", "is not a valid regular "
                            + "expression: " + e.getDescription());
                }
            }
            if (c.operator() == HookCondition.Operator.IN && !(c.value() instanceof List<?>)) {
                throw new InvalidInputException("conditions[" + i + "].value", "must be a list for operator in");
            }
        }
        if (hook.actions().isEmpty() || hook.actions().size() > MAX_ACTIONS) {
            throw new InvalidInputException("actions", "1 to " + MAX_ACTIONS + " actions are required");
        }
        for (int i = 0; i < hook.actions().size(); i++) {
            String field = "actions[" + i + "]";
            switch (hook.actions().get(i)) {
                case HookAction.Notify n -> text(field + ".title", n.title(), true);
                case HookAction.RunAgent r -> {
                    if (r.agentId() != null) {
                        agent(r.agentId(), field + ".agentId");
                    }
                    text(field + ".prompt", r.prompt(), true);
                }
                case HookAction.CallWebhook c -> policy.checkedUrl(field + ".url", c.url());
                case HookAction.ExecuteTool t -> {
                    AgentDefinition agent = agent(t.agentId() == null ? agents.defaultAgentId() : t.agentId(),
                            field + ".agentId");
                    if (tools.of(agent).stream().noneMatch(x -> x.spec().name().equals(t.tool()))) {
                        throw new InvalidInputException(field + ".tool", "agent '" + agent.id() + "' has no tool '"
                                + t.tool() + "'");
                    }
                }
            }
        }
        return hook;
    }

    private static void text(String field, String value, boolean required) {
        if ((value == null || value.isBlank()) && required || value != null && value.length() > MAX_TEXT) {
            throw new InvalidInputException(field, "is required, 1 to " + MAX_TEXT + " characters");
        }
    }

    /** Refuses (naming {@code trigger.cron}) an expression that is not a five-field Unix cron. */
    public static void cron(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException("trigger.cron", "a schedule trigger needs a cron expression");
        }
        try {
            CRON.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("trigger.cron", "is not a valid five-field cron expression: "
                    + e.getMessage());
        }
    }

    private AgentDefinition agent(String id) {
        return agents.find(id == null ? agents.defaultAgentId() : id)
                .orElseThrow(() -> new IllegalStateException("no agent '" + id + "'"));
    }

    private AgentDefinition agent(String id, String field) {
        return agents.find(id).orElseThrow(() -> new InvalidInputException(field, "no agent named '" + id + "'"));
    }

    private static String secretHash(HookTrigger trigger, String secret) {
        return trigger == HookTrigger.WEBHOOK && secret != null ? Secrets.sha256(secret) : null;
    }

    /** A JSON object as the plain map the conditions look into; anything else as an empty map. */
    public static Map<String, Object> toMap(JsonNode node) {
        return node == null || !node.isObject() ? Map.of() : JSON.convertValue(node, MAP);
    }

    @Override
    public void close() {
        worker.close();
    }
}
