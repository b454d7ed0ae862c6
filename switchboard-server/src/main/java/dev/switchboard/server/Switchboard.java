package dev.switchboard.server;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.content.BlobStore;
import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextSetup;
import dev.switchboard.context.DateContributor;
import dev.switchboard.event.EventHub;
import dev.switchboard.face.api.AdminApi;
import dev.switchboard.face.api.ApiTokenApi;
import dev.switchboard.face.api.ApprovalApi;
import dev.switchboard.face.api.AuthApi;
import dev.switchboard.face.api.ContentInput;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.LlmApi;
import dev.switchboard.face.api.LlmKeyApi;
import dev.switchboard.face.api.ModelRegistryApi;
import dev.switchboard.face.api.UsageApi;
import dev.switchboard.face.api.McpApi;
import dev.switchboard.face.api.MemoryApi;
import dev.switchboard.face.api.MessageApi;
import dev.switchboard.face.api.PasskeyApi;
import dev.switchboard.face.api.PipelineApi;
import dev.switchboard.face.api.PromptApi;
import dev.switchboard.face.api.QueueApi;
import dev.switchboard.face.api.ResourceApi;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.SearchApi;
import dev.switchboard.face.api.SessionApi;
import dev.switchboard.face.api.SkillApi;
import dev.switchboard.face.api.SseStreams;
import dev.switchboard.face.api.SystemApi;
import dev.switchboard.face.api.ToolApi;
import dev.switchboard.face.api.UserProfileApi;
import dev.switchboard.face.api.VaultApi;
import dev.switchboard.face.mcp.McpServerFace;
import dev.switchboard.face.openai.ChatCompletionsApi;
import dev.switchboard.face.openai.ModelsApi;
import dev.switchboard.face.remote.AgentProfileApi;
import dev.switchboard.face.remote.ControlApi;
import dev.switchboard.face.remote.ConversationApi;
import dev.switchboard.face.remote.KnowledgeNoteApi;
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
import dev.switchboard.knowledge.KnowledgeContext;
import dev.switchboard.knowledge.Notes;
import dev.switchboard.knowledge.Retrieval;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.langchain4j.JsonFactChanges;
import dev.switchboard.llm.langchain4j.JtokkitTokenCounter;
import dev.switchboard.llm.langchain4j.LangChain4jLlmClient;
import dev.switchboard.llm.langchain4j.LocalEmbedder;
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
import dev.switchboard.session.Sessions;
import dev.switchboard.skill.BundledSkills;
import dev.switchboard.skill.FileSkillCatalog;
import dev.switchboard.skill.SkillAwareTools;
import dev.switchboard.skill.SkillFetcher;
import dev.switchboard.skill.SkillsContext;
import dev.switchboard.store.Store;
import dev.switchboard.store.blob.LocalBlobStore;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.BuiltInAndMcpTools;
import dev.switchboard.tool.JsonSchemaArguments;
import dev.switchboard.tool.ToolRegistry;
import dev.switchboard.tool.builtin.BuiltInTools;
import dev.switchboard.tool.builtin.MemoryTools;
import dev.switchboard.user.Principal;
import dev.switchboard.userprofile.UserProfileContributor;
import dev.switchboard.userprofile.UserProfiles;
import dev.switchboard.vault.ProviderKeys;
import dev.switchboard.vault.SecretReferences;
import dev.switchboard.vault.Vault;
import dev.switchboard.vault.VaultReferences;
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
    private Pipelines pipelines;

    private Switchboard(Store store, ApprovalGate approvals, RunEngine engine, McpConnections mcp, HttpServer http,
            SseStreams streams, McpServerFace mcpFace, String host, AutoCloseable logFeed,
            UserProfiles userProfiles, Retrieval retrieval) {
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
        Instant startedAt = Instant.now();
        Clock clock = Clock.systemUTC();
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
        ToolRegistry builtIns = new ToolRegistry(java.util.stream.Stream.concat(
                BuiltInTools.all(config.tools(), env, clock).stream(),
                MemoryTools.all(memoryAccess::get).stream()).toList());
        FileAgentCatalog agents;
        try {
            agents = FileAgentCatalog.load(home.agentsDir(), home.workspacesDir(), builtIns.names(), env);
        } catch (RuntimeException e) {
            opening.thenAccept(Store::close);
            throw e;
        }
        BlobStore blobs = new LocalBlobStore(home.blobsDir());
        LlmClient llm = new LangChain4jLlmClient(blobs::get);
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
                store.knowledgeIndex(), new LocalEmbedder(), clock).start();
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
        approvals.onRequest(push::approvalRequested);
        // ---- skills (issue 6): files under skills/ and agents/<id>.skills/; load_skill joins agents that have one
        FileSkillCatalog skills = new FileSkillCatalog(home.skillsDir(),
                home.agentsDir());
        BundledSkills skillCatalog = BundledSkills.load();
        AgentTools agentTools = new SkillAwareTools(new BuiltInAndMcpTools(builtIns, mcp),
                skills);
        ArgumentCheck argumentCheck = new JsonSchemaArguments();
        // --- context assembly and the learned user profile (issue 6) ---
        UserProfiles userProfiles = new UserProfiles(
                store.userProfiles(), store, agents, llm, secrets,
                new JsonFactChanges(), clock,
                Duration.ofSeconds(config.userProfile().idleSeconds()));
        // every system-prompt section comes from one of these; memories, notes and skills register theirs here
        List<ContextContributor> contributors = new ArrayList<>(List.of(
                new DateContributor(),
                new UserProfileContributor(store.userProfiles()),
                new SkillsContext(skills)));
        contributors.addAll(knowledgeContext);
        ContextSetup contextSetup = new ContextSetup(contributors,
                config.context().settings(), new JtokkitTokenCounter(),
                store.contextSummaries());
        RunEngine engine = new RunEngine(store, agents, llm, secrets, agentTools, approvals, argumentCheck, events,
                clock, contextSetup);
        Sessions sessions = new Sessions(store, engine, agents, llm, secrets, events, clock);
        // ---- models, routing, costs and budgets (issue 9): every run's model comes from the router (session and
        // agent switches, topic routes with a backup); every model call is priced, recorded and checked against budgets
        Models models = new Models(ModelCatalog.bundled(), store.models(), agents, env, providerKeys::stored, clock);
        Budgets budgets = new Budgets(store.usage(), clock);
        engine.useModelRouter(models);
        engine.useSpending(budgets);
        sessions.onDelete((session, history) -> store.models().deleteChoice(ModelStore.Scope.SESSION, session.id()));
        if (config.userProfile().enabled()) {
            engine.onSessionIdle(userProfiles::sessionIdle);
            sessions.onDelete(userProfiles::sessionClosing);
        }
        // --- end context ---
        engine.recover();
        // ---- pipelines (issue 7): each step an ordinary run; runs left running resume from their last checkpoint
        Pipelines pipelines = new Pipelines(store.pipelines(), sessions, engine, agents, agentTools, clock);
        pipelines.recover();

        Identity identity = Identity.create(home, config.auth(), config.rateLimits(), store, env, clock,
                vault.purposeKey("totp"));
        // the default origins name the port, which is known only once the server listens when it was 0
        AtomicInteger listening = new AtomicInteger(config.port());
        ServerConfig.Passkeys relyingParty = config.passkeys();
        Passkeys passkeys = new Passkeys(store.passkeys(), store.users(), store.audit(), new Passkeys.Settings(
                relyingParty.rpId(), relyingParty.rpName(), () -> relyingParty.origins(listening.get()),
                Duration.ofSeconds(relyingParty.timeoutSeconds()), relyingParty.requireUserVerification()), clock);

        ContentInput contentInput = new ContentInput(blobs);
        SseStreams streams = new SseStreams(limits.keepAliveSeconds());
        McpServerFace mcpFace = new McpServerFace(agents, agentTools, sessions, engine, events, approvals, argumentCheck,
                config, Version.current());
        HttpServer http;
        try {
            Authenticator authenticator = new Authenticator(apiKey, identity.accessTokens(), identity.accounts(),
                    identity.personalTokens());
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
                // ---- models, routing, costs and budgets (issue 9): /api/llm/*, /api/models*, /api/usage, /api/budgets
                new LlmApi(models, store, agents).register(routes);
                new ModelRegistryApi(models, llm, secrets, clock).register(routes);
                new UsageApi(store.usage(), budgets, clock).register(routes);
            });
        } catch (RuntimeException e) {
            mcpFace.close();
            pipelines.close();
            approvals.close();
            engine.close();
            userProfiles.close();
            mcp.close();
            retrieval.close();
            store.close();
            closeQuietly(logFeed);
            throw e;
        }
        listening.set(http.port());
        Switchboard server = new Switchboard(store, approvals, engine, mcp, http, streams, mcpFace, config.host(),
                logFeed, userProfiles, retrieval);
        server.pipelines = pipelines;
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

    /** The routes the faces registered, for checking the API document. */
    public List<Routes.Route> routes() {
        return http.routes();
    }

    @Override
    public void close() {
        streams.endAll();
        mcpFace.close();
        http.close();
        // before the engine cancels their steps' runs: runs stay stored as running, for the next start to resume
        pipelines.close();
        // before the engine cancels its runs, so that their open questions stay pending for the next start
        approvals.close();
        engine.close();
        userProfiles.close();
        mcp.close();
        retrieval.close();
        store.close();
        closeQuietly(logFeed);
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
}
