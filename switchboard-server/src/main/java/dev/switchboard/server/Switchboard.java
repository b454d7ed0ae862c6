package dev.switchboard.server;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.AgentEvents;
import dev.switchboard.agent.TemporaryAgents;
import dev.switchboard.config.AgentRegistry;
import dev.switchboard.face.api.AgentApi;
import dev.switchboard.face.api.SettingsApi;
import dev.switchboard.face.api.TeamApi;
import dev.switchboard.face.api.Wire;
import dev.switchboard.team.Bus;
import dev.switchboard.team.Orchestration;
import dev.switchboard.tool.builtin.TeamTools;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.content.BlobStore;
import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextSetup;
import dev.switchboard.context.DateContributor;
import dev.switchboard.event.EventHub;
import dev.switchboard.face.a2a.A2aFace;
import dev.switchboard.face.api.AdminApi;
import dev.switchboard.face.socketio.BusFeed;
import dev.switchboard.face.ws.NotificationFeed;
import dev.switchboard.face.api.ApiTokenApi;
import dev.switchboard.face.api.ApprovalApi;
import dev.switchboard.face.api.AuthApi;
import dev.switchboard.face.api.ContentInput;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.LlmApi;
import dev.switchboard.face.api.LlmKeyApi;
import dev.switchboard.face.api.HookApi;
import dev.switchboard.face.api.ModelRegistryApi;
import dev.switchboard.face.api.ProviderApi;
import dev.switchboard.face.api.SpeechApi;
import dev.switchboard.model.ModelDiscovery;
import dev.switchboard.speech.Espeak;
import dev.switchboard.speech.OpenAiAudio;
import dev.switchboard.speech.Speech;
import dev.switchboard.speech.Synthesizer;
import dev.switchboard.speech.Transcriber;
import dev.switchboard.face.api.UsageApi;
import dev.switchboard.face.api.McpApi;
import dev.switchboard.face.api.MemoryApi;
import dev.switchboard.face.api.MessageApi;
import dev.switchboard.face.api.NotificationApi;
import dev.switchboard.face.api.PasskeyApi;
import dev.switchboard.face.api.PipelineApi;
import dev.switchboard.face.api.PromptApi;
import dev.switchboard.face.api.QueueApi;
import dev.switchboard.face.api.ResourceApi;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.ScheduleApi;
import dev.switchboard.face.api.SearchApi;
import dev.switchboard.face.api.SessionApi;
import dev.switchboard.face.api.SkillApi;
import dev.switchboard.face.api.SkillPermissionApi;
import dev.switchboard.face.api.SseStreams;
import dev.switchboard.face.api.SystemApi;
import dev.switchboard.face.api.ToolApi;
import dev.switchboard.face.api.UserProfileApi;
import dev.switchboard.face.api.VaultApi;
import dev.switchboard.face.api.WebhookApi;
import dev.switchboard.face.api.Wire;
import dev.switchboard.face.mcp.McpServerFace;
import dev.switchboard.face.socketio.SocketIoFace;
import dev.switchboard.face.ws.WsFace;
import dev.switchboard.face.openai.ChatCompletionsApi;
import dev.switchboard.face.openai.ModelsApi;
import dev.switchboard.face.remote.AgentProfileApi;
import dev.switchboard.face.remote.ControlApi;
import dev.switchboard.face.remote.ConversationApi;
import dev.switchboard.face.remote.KnowledgeNoteApi;
import dev.switchboard.face.remote.LoopApi;
import dev.switchboard.face.remote.LegacyMcpApi;
import dev.switchboard.face.remote.OperatorAccessApi;
import dev.switchboard.face.remote.OperatorApi;
import dev.switchboard.face.remote.OperatorIntegrationsApi;
import dev.switchboard.face.remote.ProfileApi;
import dev.switchboard.face.remote.PushApi;
import dev.switchboard.face.remote.RemoteSettings;
import dev.switchboard.face.remote.RemoteSkillApi;
import dev.switchboard.identity.Authenticator;
import dev.switchboard.identity.Passkeys;
import dev.switchboard.identity.Sealer;
import dev.switchboard.hook.Hooks;
import dev.switchboard.hook.ScheduledHooks;
import dev.switchboard.notification.Notifications;
import dev.switchboard.knowledge.Embedder;
import dev.switchboard.knowledge.KnowledgeContext;
import dev.switchboard.knowledge.Notes;
import dev.switchboard.knowledge.Retrieval;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.langchain4j.JsonFactChanges;
import dev.switchboard.llm.langchain4j.JtokkitTokenCounter;
import dev.switchboard.llm.langchain4j.LangChain4jLlmClient;
import dev.switchboard.llm.llamacpp.LlamaCppLlmClient;
import dev.switchboard.llm.ByProvider;
import dev.switchboard.llm.Providers;
import dev.switchboard.model.LocalModels;
import dev.switchboard.face.api.LocalModelApi;
import dev.switchboard.llm.langchain4j.LocalEmbedder;
import dev.switchboard.llm.langchain4j.RemoteEmbedder;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpToolCalls;
import dev.switchboard.mcp.sdk.SdkMcpConnections;
import dev.switchboard.memory.Memories;
import dev.switchboard.model.ModelCatalog;
import dev.switchboard.model.ModelStore;
import dev.switchboard.model.Models;
import dev.switchboard.usage.Budgets;
import dev.switchboard.operator.RecentLogs;
import dev.switchboard.pipeline.Pipelines;
import dev.switchboard.prompt.Prompts;
import dev.switchboard.push.PushNotifier;
import dev.switchboard.run.RunEngine;
import dev.switchboard.session.SessionDirectory;
import dev.switchboard.schedule.CronUtilsRules;
import dev.switchboard.schedule.DbScheduler;
import dev.switchboard.schedule.Schedules;
import dev.switchboard.session.Sessions;
import dev.switchboard.skill.BundledSkills;
import dev.switchboard.skill.FileSkillCatalog;
import dev.switchboard.skill.SkillAwareTools;
import dev.switchboard.skill.SkillFetcher;
import dev.switchboard.skill.SkillPermissions;
import dev.switchboard.skill.SkillsContext;
import dev.switchboard.store.Store;
import dev.switchboard.task.Tasks;
import dev.switchboard.store.blob.LocalBlobStore;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.BuiltInAndMcpTools;
import dev.switchboard.tool.JsonSchemaArguments;
import dev.switchboard.tool.ToolGuard;
import dev.switchboard.tool.ToolRegistry;
import dev.switchboard.tool.builtin.AddressPolicy;
import dev.switchboard.tool.builtin.BuiltInTools;
import dev.switchboard.tool.builtin.MemoryTools;
import dev.switchboard.user.Principal;
import dev.switchboard.userprofile.PresenceCheckedProfiles;
import dev.switchboard.userprofile.UserProfileContributor;
import dev.switchboard.userprofile.UserProfileStore;
import dev.switchboard.userprofile.UserProfiles;
import dev.switchboard.vault.ProviderKeys;
import dev.switchboard.vault.SecretReferences;
import dev.switchboard.vault.Vault;
import dev.switchboard.vault.VaultReferences;
import dev.switchboard.webhook.Webhooks;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds the whole server from a home folder, in readable order, and stops it. */
public final class Switchboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

    private final Store store;
    private final ApprovalGate approvals;
    private final RunEngine engine;
    private final McpConnections mcp;
    private final HttpServer http;
    private final SseStreams streams;
    private final McpServerFace mcpFace;
    private final String host;
    private final AutoCloseable logFeed;
    private final UserProfiles userProfiles;
    private final Retrieval retrieval;
    /**
     * What the server closes after the HTTP server and before the approvals and the engine, in this order: the
     * scheduler (no new firings; running ones get a moment to end), pipelines
     * (their steps' runs stay stored as running, for the next start to resume), hooks and webhooks (their taps and
     * workers), the A2A face and tasks.
     */
    private final List<AutoCloseable> parts;
    /** The realtime faces, closed before the HTTP server so that their sockets end with a close frame. */
    private final List<AutoCloseable> realtime;

    /** The agents' event rings: closed after the engine, so that the events of runs it cancels are stored. */
    private final AutoCloseable team;
    private final Bus bus;
    private final DbScheduler scheduler;

    private Switchboard(Store store, ApprovalGate approvals, RunEngine engine, McpConnections mcp, HttpServer http,
            SseStreams streams, McpServerFace mcpFace, String host, AutoCloseable logFeed,
            UserProfiles userProfiles, Retrieval retrieval, List<AutoCloseable> parts, List<AutoCloseable> realtime,
            AutoCloseable team, Bus bus, DbScheduler scheduler) {
        this.scheduler = scheduler;
        this.parts = parts;
        this.realtime = realtime;
        this.team = team;
        this.bus = bus;
        this.logFeed = logFeed;
        this.userProfiles = userProfiles;
        this.retrieval = retrieval;
        this.store = store;
        this.approvals = approvals;
        this.mcp = mcp;
        this.engine = engine;
        this.http = http;
        this.streams = streams;
        this.mcpFace = mcpFace;
        this.host = host;
    }

    /**
     * Starts a server on the home folder.
     *
     * @param console where the one-time API key and the address are printed
     */
    public static Switchboard start(Home home, ServerConfig config, Map<String, String> env, PrintStream console) {
        return start(home, config, env, console, Clock.systemUTC());
    }

    /** Starts a server whose every reading of the time comes from {@code clock} (tests move a manual one). */
    public static Switchboard start(Home home, ServerConfig config, Map<String, String> env, PrintStream console,
            Clock clock) {
        Instant startedAt = Instant.now();
        // the operator API's rings: the last 200 warnings and errors, the last 500 events of INFO and above
        RecentLogs recentLogs = new RecentLogs(200, 500);
        AutoCloseable logFeed = LogSetup.feed(recentLogs);
        home.initialize();
        ApiKey apiKey = ApiKey.load(home.apiKeyHashFile(), env);
        if (!isLoopback(config.host()) && apiKey.origin() == ApiKey.Origin.GENERATED) {
            throw new IllegalStateException("Refusing to bind " + config.host() + " with an API key nobody has seen "
                    + "yet: set SWITCHBOARD_API_KEY, or start once on 127.0.0.1 to generate and note a key.");
        }
        ServerConfig.Database db = config.database();
        String url = databaseUrl(home, config);
        // opening (and maybe migrating) the database is the slowest step: overlap it with the rest
        CompletableFuture<JdbcStore> opening = CompletableFuture.supplyAsync(
                () -> JdbcStore.open(url, db.user(), db.password()), Thread::startVirtualThread);
        // memory tools are listed now, for the agent files to name, and reach the memories once the store is open
        java.util.concurrent.atomic.AtomicReference<Memories> memoryAccess =
                new java.util.concurrent.atomic.AtomicReference<>();
        // delegate, spawn_subagent and broadcast (issue 8) reach the orchestration once the run engine exists
        java.util.concurrent.atomic.AtomicReference<Orchestration> orchestrationAccess =
                new java.util.concurrent.atomic.AtomicReference<>();
        ToolRegistry builtIns = new ToolRegistry(java.util.stream.Stream.of(
                BuiltInTools.all(config.tools(), env, clock), MemoryTools.all(memoryAccess::get),
                TeamTools.all(orchestrationAccess::get)).flatMap(List::stream).toList());
        FileAgentCatalog agents;
        try {
            agents = FileAgentCatalog.load(home.agentsDir(), home.workspacesDir(), builtIns.names(), env);
        } catch (RuntimeException e) {
            opening.thenAccept(Store::close);
            throw e;
        }
        BlobStore blobs = new LocalBlobStore(home.blobsDir());
        // ---- local models (issue 9): GGUF files under models/ run in process by llama.cpp, loaded on first use
        LocalModels localModels = new LocalModels(home.modelsDir());
        LlamaCppLlmClient llama = new LlamaCppLlmClient(id -> localModels.resolve(id, "model"),
                localModelIdle(env), clock);
        localModels.beforeDelete(llama::unload);
        LlmClient llm = new ByProvider(Map.of(Providers.LOCAL, llama), new LangChain4jLlmClient(blobs::get));
        // ---- end local models
        JdbcStore store = opened(opening);
        Vault vault;
        try {
            // before anything else writes: a wrong master key must stop the start with the data untouched
            vault = openVault(home, env, store, clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        // ---- memories and notes (issue 6): one retrieval engine, embeddings computed off the request path
        Retrieval retrieval = new Retrieval(
                store.knowledgeIndex(), embedder(config.embeddings(), new VaultReferences(vault,
                        Principal.OPERATOR.userId())), clock).start();
        Memories memories = new Memories(store.memories(), retrieval,
                clock);
        Notes notes = new Notes(store.notes(), retrieval, clock);
        memoryAccess.set(memories);
        // relevant and pinned memories and `context: auto` notes, for the context assembly below
        List<ContextContributor> knowledgeContext =
                KnowledgeContext.all(memories, notes);
        String operator = Principal.OPERATOR.userId();
        SecretReferences secrets = new VaultReferences(vault, operator);
        ProviderKeys providerKeys = new ProviderKeys(vault, operator, env);
        agents.useStoredProviderKeys(providerKeys.stored());
        providerKeys.onChange(agents::useStoredProviderKeys);
        // the current provider/model profile applies to the default agent before any run starts
        ProfileApi profileApi = new ProfileApi(
                store.profiles(), agents, store.users(), store.audit(), clock);
        agents.all().stream().filter(a -> a.llm() == null).forEach(a -> LOG.warn("{}", a.llmProblem()));
        ServerConfig.Limits limits = config.limits();
        EventHub events = new EventHub(limits.eventReplayBuffer(), limits.maxIdleSessionStreams(), store::reserveSeq,
                clock);
        McpConnections mcp = new SdkMcpConnections(env, secrets);
        for (AgentDefinition agent : agents.all()) {
            createWorkspace(agent);
            mcp.open(agent);
        }
        ApprovalGate approvals = new ApprovalGate(store, events, clock);
        PushNotifier push = new PushNotifier(store.pushTokens(),
                config.push().endpoint(), config.push().authorization(), env, secrets, clock, Duration.ofMillis(500));
        // ---- skills (issue 6): files under skills/ and agents/<id>.skills/; load_skill joins agents that have one
        FileSkillCatalog skills = new FileSkillCatalog(home.skillsDir(),
                home.agentsDir());
        BundledSkills skillCatalog = BundledSkills.load();
        AgentTools agentTools = new SkillAwareTools(new BuiltInAndMcpTools(builtIns, mcp),
                skills);
        ArgumentCheck argumentCheck = new JsonSchemaArguments();
        // seed 002's skill permission overrides: consulted by every tool call's policy, through the approval gate
        SkillPermissions skillPermissions = new SkillPermissions(store.skillPermissions(), skills);
        approvals.useOverrides(skillPermissions);
        // --- context assembly and the learned user profile (issue 6) ---
        // every write of facts goes through this one, so a run of an owner without facts reads none
        UserProfileStore profileFacts = new PresenceCheckedProfiles(store.userProfiles());
        UserProfiles userProfiles = new UserProfiles(
                profileFacts, store, agents, llm, secrets,
                new JsonFactChanges(), clock,
                Duration.ofSeconds(config.userProfile().idleSeconds()));
        // every system-prompt section comes from one of these; memories, notes and skills register theirs here
        List<ContextContributor> contributors = new ArrayList<>(List.of(
                new DateContributor(),
                new UserProfileContributor(profileFacts),
                new SkillsContext(skills)));
        contributors.addAll(knowledgeContext);
        ContextSetup contextSetup = new ContextSetup(contributors,
                config.context().settings(), new JtokkitTokenCounter(),
                store.contextSummaries());
        // runs find the temporary workers of spawn_subagent (issue 8) beside the configured agents
        TemporaryAgents runnableAgents = new TemporaryAgents(agents);
        RunEngine engine = new RunEngine(store, runnableAgents, llm, secrets, agentTools, approvals, argumentCheck,
                events, clock, contextSetup);
        Sessions sessions = new Sessions(store, engine, agents, llm, secrets, events, clock);
        // ---- models, routing, costs and budgets (issue 9): every run's model comes from the router (session and
        // agent switches, topic routes with a backup); every model call is priced, recorded and checked against budgets
        Models models = new Models(ModelCatalog.bundled(), store.models(), agents, env, providerKeys::stored, clock);
        Budgets budgets = new Budgets(store.usage(), clock);
        models.useLocalModels(localModels);
        engine.useModelRouter(models);
        engine.useSpending(budgets);
        sessions.onDelete((session, history) -> store.models().deleteChoice(ModelStore.Scope.SESSION, session.id()));
        if (config.userProfile().enabled()) {
            engine.onSessionIdle(userProfiles::sessionIdle);
            sessions.onDelete(userProfiles::sessionClosing);
        }
        // --- end context ---
        // ---- speech and model discovery (issue 9, part 2): transcription through an OpenAI-compatible endpoint,
        // speech through one or the local espeak-ng; every clip kept as a blob. Discovery asks a local Ollama and
        // OpenRouter's list, neither needed to run
        Speech speech = speech(config.speech(), blobs, secrets);
        ServerConfig.Discovery discoveryConfig = config.discovery();
        ModelDiscovery discovery = new ModelDiscovery(ModelCatalog.bundled(), discoveryConfig.ollamaBaseUrl(),
                discoveryConfig.openRouterModels(), Duration.ofHours(discoveryConfig.refreshHours()),
                config.tools().httpRequest().policy(), clock);
        // ---- end speech and model discovery
        // ---- agents, orchestration and the bus (issue 8): every agent-to-agent message is stored on the bus and
        // handed to its listeners (bus.onMessage: the realtime faces' bus:message); each agent's last 200 events stay
        // in a ring fed by the hub's tap, older ones in the store
        Bus bus = new Bus(store.team());
        Orchestration orchestration = new Orchestration(store, store.team(), engine, runnableAgents, bus,
                config.tools().orchestration().limits(), clock);
        orchestrationAccess.set(orchestration);
        AgentEvents agentEvents = new AgentEvents(store.team(), e -> Json.write(Wire.event(e)), 200);
        AutoCloseable agentEventsTap = events.tap(agentEvents::accept);
        AutoCloseable team = () -> {
            agentEventsTap.close();
            agentEvents.close();
        };
        AgentRegistry agentRegistry = new AgentRegistry(home.root().resolve("registry"), home.agentsDir());
        // ---- end agents
        // ---- webhooks, hooks, notifications (issue 7): before recover(), whose resumed runs may already ask
        Notifications notifications = new Notifications(store.notifications(), clock);
        notifications.onCreated(n -> push.send(n.ownerId(), new PushNotifier.Notification(n.title(), n.body(),
                n.data())));
        approvals.onRequest(notifications::approvalRequested);
        AddressPolicy outbound = config.tools().httpRequest().policy();
        // who owns each session, for what follows every session's events (webhooks, /ws, Socket.IO): one bounded cache
        SessionDirectory sessionDirectory = new SessionDirectory(store, 10_000);
        Webhooks webhooks = new Webhooks(store.webhooks(), sessionDirectory, outbound,
                new Sealer(vault.purposeKey("webhooks"), "webhook secrets"), e -> Wire.event(e).toString(), clock,
                Webhooks.Settings.DEFAULT).start();
        Hooks hooks = new Hooks(store.hooks(), store, sessions, engine, agents, agentTools, argumentCheck,
                notifications, outbound, clock).start();
        AutoCloseable webhookTap = events.tap(webhooks::onEvent);
        AutoCloseable hookTap = events.tap(hooks::onEvent);
        AutoCloseable automation = () -> {
            closeQuietly(hookTap);
            closeQuietly(webhookTap);
            hooks.close();
            webhooks.close();
        };
        // ---- end webhooks, hooks, notifications
        // ---- A2A (issue 8): tasks are runs of sessions; the face is built with the routes below. The engine
        // recovers after both (see there), so that the tasks a previous start left queued are followed and pushed.
        Tasks a2aTasks = new Tasks(store.tasks(), sessions, engine, events, clock);

        Identity identity = Identity.create(home, config.auth(), config.rateLimits(), store, env, clock,
                vault.purposeKey("totp"));
        // the default origins name the port, which is known only once the server listens when it was 0
        AtomicInteger listening = new AtomicInteger(config.port());
        ServerConfig.Passkeys relyingParty = config.passkeys();
        Passkeys passkeys = new Passkeys(store.passkeys(), store.users(), store.audit(), new Passkeys.Settings(
                relyingParty.rpId(), relyingParty.rpName(), () -> relyingParty.origins(listening.get()),
                Duration.ofSeconds(relyingParty.timeoutSeconds()), relyingParty.requireUserVerification()), clock);

        ContentInput contentInput = new ContentInput(blobs);
        // one authenticator for every face: HTTP routes, /ws and Socket.IO check credentials the same way
        Authenticator authenticator = new Authenticator(apiKey, identity.accessTokens(), identity.accounts(),
                identity.personalTokens());
        // ---- realtime faces (issue 8): /ws and Socket.IO, both projections of the one event stream
        WsFace wsFace = new WsFace(authenticator, identity.codes(), sessions, engine, approvals, events,
                sessionDirectory, contentInput, WsFace.Limits.DEFAULT, clock).start();
        SocketIoFace socketIoFace = new SocketIoFace(authenticator, identity.codes(), sessions, engine, events,
                sessionDirectory, contentInput).start();
        // notifications reach their owner's /ws connections, bus messages the Socket.IO clients of their owner
        wsFace.follow(listener -> notifications.onCreated(
                n -> listener.accept(new NotificationFeed.Notice(n.ownerId(), NotificationApi.wire(n)))));
        socketIoFace.follow(listener -> bus.onMessage(
                m -> listener.accept(new BusFeed.Notice(m.ownerId(), TeamApi.wire(m)))));
        // ---- end realtime faces
        SseStreams streams = new SseStreams(limits.keepAliveSeconds());
        A2aFace a2aFace = new A2aFace(a2aTasks, agents, events, streams, config.tools().httpRequest().policy(),
                vault.purposeKey("a2a-push"), Version.current(), clock);
        a2aTasks.start();
        // ---- end A2A: the engine resumes the stored queues (and approvals) once every follower listens
        engine.recover();
        // ---- schedules (issue 7): db-scheduler on the store's database plans every schedule's firings; each
        // firing is taken by one node and runs as an ordinary run. Hooks register recurring jobs on `scheduler`
        // (Scheduler.recurring/cancel); notifications listen with schedules.onScheduledRunFinished.
        CronUtilsRules cronRules = new CronUtilsRules();
        DbScheduler scheduler = new DbScheduler(store.dataSource(), clock,
                Duration.ofMillis(schedulerPollMillis(env)), cronRules);
        Schedules schedules = new Schedules(store.schedules(), sessions, engine, agents, cronRules, scheduler, clock);
        // each scheduled run's result reaches its owner as a notification (push, /ws)
        schedules.onScheduledRunFinished(run -> notifications.notify(run.ownerId(), "schedule",
                "Schedule '" + run.scheduleName() + "' " + run.result().status(),
                run.result().error() != null ? run.result().error() : clipped(run.result().text(), 280),
                run.sessionId() == null ? Map.of("scheduleId", run.scheduleId(), "status", run.result().status())
                        : Map.of("scheduleId", run.scheduleId(), "sessionId", run.sessionId(),
                                "status", run.result().status())));
        scheduler.start(schedules::fire);
        schedules.started();
        // hooks with a schedule trigger tick on the same scheduler; other nodes' changes are re-read every minute
        ScheduledHooks scheduledHooks = new ScheduledHooks(hooks, scheduler, clock, Duration.ofMinutes(1)).start();
        // ---- end schedules
        // ---- pipelines (issue 7): each step an ordinary run; runs left running resume from their last checkpoint
        Pipelines pipelines = new Pipelines(store.pipelines(), sessions, engine, agents, agentTools, clock);
        // a run stopped at an approval gate asks its owner through a notification (push and realtime faces)
        pipelines.onAwaitingApproval((run, stepId) -> notifications.notify(run.ownerId(), "pipeline",
                "Approval needed", "Pipeline '" + run.name() + "' waits for your approval before step '" + stepId
                        + "'", Map.of("pipelineId", run.id(), "stepId", stepId)));
        pipelines.recover();
        McpServerFace mcpFace = new McpServerFace(agents, agentTools, sessions, engine, events, approvals, argumentCheck,
                config, Version.current());
        HttpServer http;
        try {
            http = HttpServer.start(config.host(), config.port(), limits.maxRequestBytes(), authenticator,
                    Defences.from(config, clock), (Routes routes) -> {
                new SystemApi(blobs, store, Version.current(), startedAt).register(routes);
                new AuthApi(identity.accounts(), authenticator, identity.twoFactor(), identity.codes(),
                        identity.setup()).register(routes);
                new PasskeyApi(passkeys, identity.accounts()).register(routes);
                new ApiTokenApi(identity.personalTokens()).register(routes);
                new AdminApi(identity.accounts(), store.audit(), identity.codes()).register(routes);
                new MessageApi(sessions, engine, events, contentInput, streams).register(routes);
                new SessionApi(sessions, engine, events, streams).register(routes);
                new QueueApi(sessions, engine, contentInput).register(routes);
                new ApprovalApi(approvals).register(routes);
                new UserProfileApi(userProfiles, store.audit(),
                        config.userProfile().enabled()).register(routes);
                new SearchApi(store.search()).register(routes);
                McpToolCalls mcpToolCalls = new McpToolCalls(mcp, argumentCheck);
                new McpApi(mcp, agents, agents, mcpToolCalls).register(routes);
                new ToolApi(agents, agentTools, builtIns, url.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite")
                        .register(routes);
                new ResourceApi(mcp, agents, store, blobs).register(routes);
                new PromptApi(new Prompts(store, blobs, mcp, clock), agents).register(routes);
                new LegacyMcpApi(mcp, agents, mcpToolCalls).register(routes);
                new VaultApi(vault, agents).register(routes);
                new MemoryApi(memories, agents).register(routes);
                new KnowledgeNoteApi(notes).register(routes);
                new LlmKeyApi(providerKeys).register(routes);
                // ---- skills (issue 6): /api/skills, /api/agents/{agentId}/skills, /api/skill-catalog, /v1/skills
                new SkillApi(skills, skillCatalog, new SkillFetcher(
                        config.tools().httpRequest().policy()), agents, agentTools, store.audit()).register(routes);
                new RemoteSkillApi(skills, agents, store.audit()).register(routes);
                new SkillPermissionApi(skillPermissions, skills, agents, agentTools, argumentCheck,
                        new ToolGuard(argumentCheck, approvals), store.audit(), clock).register(routes);
                // ---- /v1/operator (issue 5): status, rings of recent events, actions, integrations, access
                new OperatorApi(new OperatorApi.ServerFacts(Version.current(), startedAt,
                        url.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite", config, apiKey, listening::get),
                        recentLogs, store.audit(), store, sessions, engine, agents, mcp).register(routes);
                new OperatorIntegrationsApi(Version.current(), agents, mcp, store.audit(),
                        () -> push.enabled()
                                ? Json.object().put("name", "push").put("configured", true).put("available", true)
                                : Json.object().put("name", "push").put("configured", false).put("available", false)
                                        .put("reason", "no push endpoint is configured (push.endpoint)"))
                        .register(routes);
                new OperatorAccessApi(apiKey, identity.personalTokens(), store.audit()).register(routes);
                mcpFace.register(routes);
                // the remote client API (/v1, seed 000) and seed 001's root routes
                new ConversationApi(sessions, engine, events, streams, store, blobs)
                        .register(routes);
                new ControlApi(engine, new RemoteSettings(
                        store.users(), agents, identity.accounts(), engine, store.audit(), clock), mcp, agents,
                        store.audit()).register(routes);
                new AgentProfileApi(agents, mcp, store.audit()).register(routes);
                profileApi.register(routes);
                new PushApi(store.pushTokens(), push, store.audit(), clock)
                        .register(routes);
                // the OpenAI-compatible face (issue 5)
                new ChatCompletionsApi(sessions, engine, events, contentInput, streams, agents, clock).register(routes);
                new ModelsApi(agents, startedAt.getEpochSecond()).register(routes);
                // ---- pipelines (issue 7): /api/pipelines, /api/pipelines/templates
                new PipelineApi(pipelines).register(routes);
                // ---- webhooks, hooks, notifications (issue 7)
                new WebhookApi(webhooks).register(routes);
                new HookApi(hooks).register(routes);
                new NotificationApi(notifications).register(routes);
                // ---- A2A (issue 8): /.well-known/agent-card.json, /jsonrpc, /v1/message:*, /v1/tasks
                a2aFace.register(routes);
                // ---- agents, orchestration and the bus (issue 8): /api/agents, /api/agent/*, /api/bus/messages,
                // /api/subagent-tasks, /api/settings/global and the asset listings
                new AgentApi(agents, new AgentProfileApi(agents, mcp, store.audit()), agentRegistry, sessions, engine,
                        agentEvents, mcp, store.users(), store.audit(), clock).register(routes);
                new TeamApi(bus, orchestration).register(routes);
                new SettingsApi(store.users(), home.root().resolve("assets"), store.audit(), clock)
                        .register(routes);
                // ---- realtime faces (issue 8): GET /ws (WebSocket), GET|POST /socket.io/ (Socket.IO)
                wsFace.register(routes);
                socketIoFace.register(routes);
                // ---- schedules (issue 7): /api/schedules, seed 003's scheduled tasks, seed 000's /v1/loops
                new ScheduleApi(schedules, agents).register(routes);
                new LoopApi(schedules).register(routes);
                // ---- models, routing, costs and budgets (issue 9): /api/llm/*, /api/models*, /api/usage, /api/budgets
                new LlmApi(models, store, agents).register(routes);
                new ModelRegistryApi(models, llm, secrets, clock).register(routes);
                new UsageApi(store.usage(), budgets, clock).register(routes);
                // ---- speech and model discovery (issue 9, part 2): /transcribe, /api/voice/transcribe,
                // /v1/tts/speak, /api/providers, /api/provider-models, /api/models/providers/*, /api/models/ollama,
                // /api/openrouter/validate/*
                new SpeechApi(speech, store).register(routes);
                new ProviderApi(models, discovery).register(routes);
                // ---- local models (issue 9): /api/models/local, /api/models/local/validate
                new LocalModelApi(localModels, llama).register(routes);
            });
        } catch (RuntimeException e) {
            llama.close();
            scheduledHooks.close();
            scheduler.close();
            wsFace.close();
            socketIoFace.close();
            pipelines.close();
            closeQuietly(automation);
            a2aFace.close();
            a2aTasks.close();
            mcpFace.close();
            approvals.close();
            engine.close();
            userProfiles.close();
            mcp.close();
            retrieval.close();
            closeQuietly(team);
            store.close();
            closeQuietly(logFeed);
            throw e;
        }
        listening.set(http.port());
        Switchboard server = new Switchboard(store, approvals, engine, mcp, http, streams, mcpFace, config.host(),
                logFeed, userProfiles, retrieval, List.of(scheduledHooks, scheduler, pipelines, automation,
                a2aFace, a2aTasks, llama),
                List.of(wsFace, socketIoFace), team, bus, scheduler);
        identity.setup().newTokenIfPending().ifPresent(token -> {
            console.println("Setup is not complete. To create the first administrator, POST this one-time token");
            console.println("with a username and password to /api/setup-state/complete (or use the API key):");
            console.println();
            console.println("    " + token);
            console.println();
        });
        if (apiKey.shownOnce() != null) {
            console.println("Generated the API key (shown only this once; only its hash is stored):");
            console.println();
            console.println("    " + apiKey.shownOnce());
            console.println();
        }
        console.println("Switchboard " + Version.current() + " listening on " + server.baseUrl() + " (home "
                + home.root() + ")");
        return server;
    }

    /** The database the home's configuration names, else the SQLite file in {@code data/}. */
    public static String databaseUrl(Home home, ServerConfig config) {
        String url = config.database().url();
        return url == null ? "jdbc:sqlite:" + home.dataDir().resolve("switchboard.db") : url;
    }

    /** The vault under the master key from the environment or the key file, checked against the stored data. */
    static Vault openVault(Home home, Map<String, String> env, JdbcStore store, Clock clock) {
        MasterKeySource.Loaded key = MasterKeySource.load(home.masterKeyFile(), env, store.vault().keyCheck());
        return Vault.open(store.vault(), key.key(), key.source(), store.audit(), clock);
    }

    /** How long a local model stays loaded without calls ({@code SWITCHBOARD_LOCAL_MODEL_IDLE_SECONDS}, 600). */
    static Duration localModelIdle(Map<String, String> env) {
        String value = env.get("SWITCHBOARD_LOCAL_MODEL_IDLE_SECONDS");
        try {
            long seconds = value == null ? 600 : Long.parseLong(value.strip());
            if (seconds < 1) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("SWITCHBOARD_LOCAL_MODEL_IDLE_SECONDS must be a whole number of seconds, "
                    + "at least 1");
        }
    }

    /** How often this node looks for due schedules ({@code SWITCHBOARD_SCHEDULER_POLL_MS}, 10 s by default). */
    static long schedulerPollMillis(Map<String, String> env) {
        String value = env.get("SWITCHBOARD_SCHEDULER_POLL_MS");
        try {
            long millis = value == null ? 10_000 : Long.parseLong(value.strip());
            if (millis < 10) {
                throw new NumberFormatException();
            }
            return millis;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("SWITCHBOARD_SCHEDULER_POLL_MS must be a whole number of milliseconds, "
                    + "at least 10");
        }
    }

    private static JdbcStore opened(CompletableFuture<JdbcStore> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port();
    }

    /** The retrieval engine of memories and notes; tests and benchmarks wait on its embedding worker. */
    public Retrieval retrieval() {
        return retrieval;
    }

    /** The cluster-safe scheduler of recurring jobs by key (issue 7), for features that run on a cron. */
    public dev.switchboard.schedule.Scheduler scheduler() {
        return scheduler;
    }

    /** The routes the faces registered, for checking the API document. */
    public List<Routes.Route> routes() {
        return http.routes();
    }

    @Override
    public void close() {
        streams.endAll();
        realtime.forEach(Switchboard::closeQuietly);
        mcpFace.close();
        http.close();
        parts.forEach(Switchboard::closeQuietly);
        // before the engine cancels its runs, so that their open questions stay pending for the next start
        approvals.close();
        engine.close();
        userProfiles.close();
        mcp.close();
        retrieval.close();
        closeQuietly(team);
        store.close();
        closeQuietly(logFeed);
    }

    private static String clipped(String text, int max) {
        return text == null ? "" : text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The agent-to-agent bus: {@code bus().onMessage(listener)} sees every message as it is stored. */
    public Bus bus() {
        return bus;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Could not close {}: {}", closeable, e.toString());
        }
    }

    /** The folder an agent's file and command tools work in, and its MCP servers' root. */
    private static void createWorkspace(AgentDefinition agent) {
        if (agent.workspace() == null) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(agent.workspace());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create the workspace of agent '" + agent.id() + "' at "
                    + agent.workspace(), e);
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Speech as {@code speech:} configures it (issue 9): a transcription endpoint if one is named, and an
     * OpenAI-compatible speech endpoint or else the local espeak-ng.
     */
    private static Speech speech(ServerConfig.Speech settings, BlobStore blobs, SecretReferences secrets) {
        ServerConfig.SpeechEndpoint heard = settings.transcription();
        ServerConfig.SpeechEndpoint said = settings.tts();
        Transcriber transcriber = heard == null ? null : new OpenAiAudio(heard.baseUrl(),
                heard.model() == null ? "whisper-1" : heard.model(), null, () -> heard.apiKey() == null ? null
                        : secrets.resolve(heard.apiKey(), new SecretReferences.Use(null, "speech", null,
                                "speech.transcription.apiKey")));
        Synthesizer synthesizer = said == null ? new Espeak(settings.espeak()) : new OpenAiAudio(said.baseUrl(),
                said.model() == null ? "tts-1" : said.model(), said.voice() == null ? "alloy" : said.voice(),
                () -> said.apiKey() == null ? null : secrets.resolve(said.apiKey(), new SecretReferences.Use(null,
                        "speech", null, "speech.tts.apiKey")));
        LOG.info("Speech: transcription {}, text-to-speech by {}", transcriber == null ? "not configured"
                : transcriber.name(), synthesizer.name());
        return new Speech(transcriber, synthesizer, blobs, settings.maxAudioBytes());
    }

    /** The embedding model {@code embeddings:} names (issue 6): the bundled one, or an OpenAI-compatible endpoint. */
    private static Embedder embedder(ServerConfig.Embeddings settings, SecretReferences secrets) {
        if (settings.local()) {
            return new LocalEmbedder();
        }
        String key = settings.apiKey();
        Embedder remote = new RemoteEmbedder(settings.baseUrl(), settings.model(), settings.dimensions(),
                () -> key == null ? null : secrets.resolve(key, new SecretReferences.Use(null, "embeddings", null,
                        "embeddings.apiKey")));
        LOG.info("Memories and notes are embedded by {} at {}", settings.model(), settings.baseUrl());
        return remote;
    }
}
