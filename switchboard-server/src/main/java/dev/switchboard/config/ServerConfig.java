package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code switchboard.yml}: where the server listens, where it stores, its limits and its built-in tools' settings.
 *
 * @param host the address to bind; loopback unless told otherwise
 * @param mcpServer who may reach the server's own MCP endpoint from where
 * @param passkeys the relying party that passkeys (WebAuthn) are bound to
 * @param http how browsers of other origins may call the API (CORS)
 * @param rateLimits requests per minute per client address and per credential, and sign-in throttling
 * @param push where push notifications to users' devices are delivered (none by default)
 * @param context the system-prompt budget and the management of models' windows
 * @param userProfile when conversations are learned from for the user profile
 * @param embeddings which model turns memories and notes into vectors: the bundled one or a remote endpoint
 * @param speech the transcription and text-to-speech endpoints, and the local speech engine
 * @param discovery where model lists are discovered: a local Ollama, OpenRouter's model list
 */
public record ServerConfig(
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("database") Database database,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("tools") Tools tools,
        @JsonProperty("mcpServer") McpServer mcpServer,
        @JsonProperty("auth") Auth auth,
        @JsonProperty("passkeys") Passkeys passkeys,
        @JsonProperty("http") Http http,
        @JsonProperty("rateLimits") RateLimits rateLimits,
        @JsonProperty("push") Push push,
        @JsonProperty("context") Context context,
        @JsonProperty("userProfile") UserProfile userProfile,
        @JsonProperty("embeddings") Embeddings embeddings,
        @JsonProperty("speech") Speech speech,
        @JsonProperty("discovery") Discovery discovery) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 3210;

    public ServerConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        database = database == null ? new Database(null, null, null) : database;
        limits = limits == null ? new Limits(null, null, null, null) : limits;
        tools = tools == null ? new Tools(null, null, null) : tools;
        mcpServer = mcpServer == null ? new McpServer(null, null) : mcpServer;
        auth = auth == null ? new Auth(null, null, null) : auth;
        passkeys = passkeys == null ? new Passkeys(null, null, null, null, null) : passkeys;
        http = http == null ? new Http(null) : http;
        rateLimits = rateLimits == null ? new RateLimits(null, null, null, null, null) : rateLimits;
        push = push == null ? new Push(null, null) : push;
        context = context == null ? new Context(null, null, null, null, null, null) : context;
        userProfile = userProfile == null ? new UserProfile(null, null) : userProfile;
        embeddings = embeddings == null ? new Embeddings(null, null, null, null, null) : embeddings;
        speech = speech == null ? new Speech(null, null, null, null) : speech;
        discovery = discovery == null ? new Discovery(null, null, null) : discovery;
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, database, limits, tools, mcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, database, limits, tools, mcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withMcpServer(McpServer newMcpServer) {
        return new ServerConfig(host, port, database, limits, tools, newMcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withAuth(Auth newAuth) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, newAuth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withPasskeys(Passkeys newPasskeys) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, auth, newPasskeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withTools(Tools newTools) {
        return new ServerConfig(host, port, database, limits, newTools, mcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withDatabase(Database newDatabase) {
        return new ServerConfig(host, port, newDatabase, limits, tools, mcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withHttp(Http newHttp) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, auth, passkeys, newHttp, rateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withRateLimits(RateLimits newRateLimits) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, auth, passkeys, http, newRateLimits,
                push, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withPush(Push newPush) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, auth, passkeys, http, rateLimits,
                newPush, context, userProfile, embeddings, speech, discovery);
    }

    public ServerConfig withEmbeddings(Embeddings newEmbeddings) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, newEmbeddings, speech, discovery);
    }

    /**
     * Push notifications: where they are POSTed and the {@code Authorization} header sent along. Off while
     * {@code endpoint} is absent.
     *
     * @param endpoint an http or https URL that takes {@code {to, title, body, badge, data}} (see docs/api.md)
     * @param authorization the header's whole value, or one reference to it: {@code $VAULT:name} (the operator's
     *     vault, read at each delivery) or {@code $ENV_VAR}
     */
    public record Push(
            @JsonProperty("endpoint") String endpoint,
            @JsonProperty("authorization") String authorization) {

        public Push {
            if (endpoint != null) {
                try {
                    URI uri = new URI(endpoint.strip());
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new IllegalArgumentException("push.endpoint must be an http or https URL");
                    }
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("push.endpoint must be an http or https URL");
                }
                endpoint = endpoint.strip();
            }
            authorization = authorization == null || authorization.isBlank() ? null : authorization.strip();
        }

        public boolean enabled() {
            return endpoint != null;
        }
    }

    /**
     * {@code context}: what the run puts in front of the model (see {@link dev.switchboard.context.ContextSettings};
     * every key optional, defaults there).
     */
    public record Context(
            @JsonProperty("systemBudgetTokens") Integer systemBudgetTokens,
            @JsonProperty("compactAt") Double compactAt,
            @JsonProperty("keepRecentShare") Double keepRecentShare,
            @JsonProperty("toolOutputKeepTurns") Integer toolOutputKeepTurns,
            @JsonProperty("toolOutputMaxChars") Integer toolOutputMaxChars,
            @JsonProperty("defaultWindow") Integer defaultWindow) {

        public Context {
            settings(systemBudgetTokens, compactAt, keepRecentShare, toolOutputKeepTurns, toolOutputMaxChars,
                    defaultWindow);
        }

        /** The checked settings; the constructor refuses a file whose values make no sense. */
        public dev.switchboard.context.ContextSettings settings() {
            return settings(systemBudgetTokens, compactAt, keepRecentShare, toolOutputKeepTurns, toolOutputMaxChars,
                    defaultWindow);
        }

        private static dev.switchboard.context.ContextSettings settings(Integer budget, Double compactAt,
                Double keepRecent, Integer keepTurns, Integer maxChars, Integer window) {
            dev.switchboard.context.ContextSettings d = dev.switchboard.context.ContextSettings.defaults();
            return new dev.switchboard.context.ContextSettings(budget == null ? d.systemBudgetTokens() : budget,
                    compactAt == null ? d.compactAt() : compactAt,
                    keepRecent == null ? d.keepRecentShare() : keepRecent,
                    keepTurns == null ? d.toolOutputKeepTurns() : keepTurns,
                    maxChars == null ? d.toolOutputMaxChars() : maxChars,
                    window == null ? d.defaultWindow() : window);
        }
    }

    /**
     * {@code userProfile}: whether conversations are learned from, and after how long without a run a session
     * counts as idle (a deleted session is learned from at once).
     */
    public record UserProfile(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("idleSeconds") Integer idleSeconds) {

        public UserProfile {
            enabled = enabled == null || enabled;
            idleSeconds = idleSeconds == null ? 600 : idleSeconds;
            if (idleSeconds < 1) {
                throw new IllegalArgumentException("userProfile.idleSeconds must be at least 1");
            }
        }
    }

    /**
     * {@code embeddings}: the model that turns memories and notes into vectors. {@code provider: local} (the
     * default) runs the bundled all-MiniLM-L6-v2; {@code openai-compatible} calls {@code <baseURL>/embeddings}.
     * Vectors are stored with the name of the model that made them, so a change re-embeds what is stored instead
     * of comparing vectors of two models.
     *
     * @param apiKey the key, or a reference to it: {@code $VAULT:name} (the operator's vault, read at each call)
     *     or {@code $ENV_VAR} / {@code ${ENV_VAR}} (read at start)
     * @param dimensions the vector size to ask the model for, where it can shorten its vectors; null for its own
     */
    public record Embeddings(
            @JsonProperty("provider") String provider,
            @JsonProperty("baseURL") String baseUrl,
            @JsonProperty("model") String model,
            @JsonProperty("apiKey") String apiKey,
            @JsonProperty("dimensions") Integer dimensions) {

        public static final String LOCAL = "local";
        public static final String OPENAI_COMPATIBLE = "openai-compatible";

        public Embeddings {
            provider = provider == null || provider.isBlank() ? LOCAL : provider.strip().toLowerCase(Locale.ROOT);
            if (!LOCAL.equals(provider) && !OPENAI_COMPATIBLE.equals(provider)) {
                throw new IllegalArgumentException("embeddings.provider must be " + LOCAL + " or " + OPENAI_COMPATIBLE);
            }
            baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
            model = model == null || model.isBlank() ? null : model.strip();
            apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
            if (LOCAL.equals(provider)) {
                if (baseUrl != null || model != null || apiKey != null || dimensions != null) {
                    throw new IllegalArgumentException("embeddings: baseURL, model, apiKey and dimensions apply to "
                            + "provider " + OPENAI_COMPATIBLE + " only");
                }
            } else {
                if (baseUrl == null) {
                    throw new IllegalArgumentException("embeddings.baseURL is required for provider "
                            + OPENAI_COMPATIBLE);
                }
                try {
                    URI uri = new URI(baseUrl);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new IllegalArgumentException("embeddings.baseURL must be an http or https URL");
                    }
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("embeddings.baseURL must be an http or https URL");
                }
                if (model == null) {
                    throw new IllegalArgumentException("embeddings.model is required for provider "
                            + OPENAI_COMPATIBLE);
                }
                if (dimensions != null && (dimensions < 1 || dimensions > 65_536)) {
                    throw new IllegalArgumentException("embeddings.dimensions must be between 1 and 65536");
                }
            }
        }

        public boolean local() {
            return LOCAL.equals(provider);
        }

        /** The same settings with {@code apiKey} replaced, as when an environment reference is read. */
        public Embeddings withApiKey(String key) {
            return new Embeddings(provider, baseUrl, model, key, dimensions);
        }
    }

    public ServerConfig withSpeech(Speech newSpeech) {
        return new ServerConfig(host, port, database, limits, tools, mcpServer, auth, passkeys, http, rateLimits,
                push, context, userProfile, embeddings, newSpeech, discovery);
    }

    /**
     * {@code speech} (issue 9): an OpenAI-compatible {@code /audio/transcriptions} endpoint for transcription (none
     * by default: transcription answers 503 until one is set) and an {@code /audio/speech} endpoint for
     * text-to-speech; without one, text is spoken by the local engine (espeak-ng), so speech works with no account.
     *
     * @param maxAudioBytes the largest clip transcribed (25 MiB, OpenAI's limit, by default)
     * @param espeak the local engine's command, {@code espeak-ng} on the PATH by default
     */
    public record Speech(
            @JsonProperty("transcription") SpeechEndpoint transcription,
            @JsonProperty("tts") SpeechEndpoint tts,
            @JsonProperty("maxAudioBytes") Long maxAudioBytes,
            @JsonProperty("espeak") String espeak) {

        public Speech {
            maxAudioBytes = Limits.positive("speech.maxAudioBytes", maxAudioBytes, 25L * 1024 * 1024);
            espeak = espeak == null || espeak.isBlank() ? "espeak-ng" : espeak.strip();
        }

        /** The same settings with the endpoints' environment references read. */
        public Speech withEndpoints(SpeechEndpoint newTranscription, SpeechEndpoint newTts) {
            return new Speech(newTranscription, newTts, maxAudioBytes, espeak);
        }
    }

    /**
     * One OpenAI-compatible audio endpoint.
     *
     * @param baseURL the API root, such as {@code https://api.openai.com/v1}
     * @param model {@code whisper-1} for transcription and {@code tts-1} for speech by default
     * @param apiKey the key, or a reference to it: {@code $VAULT:name} (read at each call) or {@code $ENV_VAR}
     *     (read at start)
     * @param voice the voice spoken with when a request names none ({@code alloy} by default; speech only)
     */
    public record SpeechEndpoint(
            @JsonProperty("baseURL") String baseUrl,
            @JsonProperty("model") String model,
            @JsonProperty("apiKey") String apiKey,
            @JsonProperty("voice") String voice) {

        public SpeechEndpoint {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException("speech: baseURL is required for an audio endpoint");
            }
            baseUrl = httpUrl("speech baseURL", baseUrl);
            model = model == null || model.isBlank() ? null : model.strip();
            apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
            voice = voice == null || voice.isBlank() ? null : voice.strip();
        }

        public SpeechEndpoint withApiKey(String key) {
            return new SpeechEndpoint(baseUrl, model, key, voice);
        }
    }

    /**
     * {@code discovery} (issue 9): where model lists come from beyond the bundled catalog.
     *
     * @param ollamaBaseURL the local Ollama asked for its models ({@code http://localhost:11434} by default)
     * @param openRouterModelsURL OpenRouter's model list, fetched when reachable to widen the catalog's OpenRouter
     *     models ({@code https://openrouter.ai/api/v1/models} by default; {@code off} never fetches)
     * @param refreshHours how long a fetched list is used before it is fetched again (24 by default)
     */
    public record Discovery(
            @JsonProperty("ollamaBaseURL") String ollamaBaseUrl,
            @JsonProperty("openRouterModelsURL") String openRouterModelsUrl,
            @JsonProperty("refreshHours") Integer refreshHours) {

        public Discovery {
            ollamaBaseUrl = httpUrl("discovery.ollamaBaseURL", ollamaBaseUrl == null || ollamaBaseUrl.isBlank()
                    ? "http://localhost:11434" : ollamaBaseUrl);
            openRouterModelsUrl = openRouterModelsUrl == null || openRouterModelsUrl.isBlank()
                    ? "https://openrouter.ai/api/v1/models" : openRouterModelsUrl.strip();
            if (!openRouterModelsUrl.equals("off")) {
                openRouterModelsUrl = httpUrl("discovery.openRouterModelsURL", openRouterModelsUrl);
            }
            refreshHours = Limits.positive("discovery.refreshHours", refreshHours == null ? null
                    : refreshHours.longValue(), 24).intValue();
        }

        /** OpenRouter's model list, unless fetching it is off. */
        public java.util.Optional<String> openRouterModels() {
            return openRouterModelsUrl.equals("off") ? java.util.Optional.empty()
                    : java.util.Optional.of(openRouterModelsUrl);
        }
    }

    private static String httpUrl(String name, String value) {
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an http or https URL");
        }
        String url = value.strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The database; a SQLite file under the home's {@code data/} unless a JDBC URL is given. */
    public record Database(
            @JsonProperty("url") String url,
            @JsonProperty("user") String user,
            @JsonProperty("password") String password) {

        public Database {
            if (url != null && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("url must start with jdbc:sqlite: or jdbc:postgresql:");
            }
        }
    }

    /**
     * Limits that protect the server.
     *
     * @param maxRequestBytes the largest request body accepted (larger ones get 413)
     * @param eventReplayBuffer how many recent events per session a reconnecting client can replay
     * @param keepAliveSeconds how often an idle SSE stream gets a comment line
     * @param maxIdleSessionStreams how many idle sessions keep their replay buffer in memory
     */
    public record Limits(
            @JsonProperty("maxRequestBytes") Long maxRequestBytes,
            @JsonProperty("eventReplayBuffer") Integer eventReplayBuffer,
            @JsonProperty("keepAliveSeconds") Integer keepAliveSeconds,
            @JsonProperty("maxIdleSessionStreams") Integer maxIdleSessionStreams) {

        public Limits {
            maxRequestBytes = positive("maxRequestBytes", maxRequestBytes, 10L * 1024 * 1024);
            eventReplayBuffer = positive("eventReplayBuffer", eventReplayBuffer, 1000L).intValue();
            keepAliveSeconds = positive("keepAliveSeconds", keepAliveSeconds, 15L).intValue();
            maxIdleSessionStreams = positive("maxIdleSessionStreams", maxIdleSessionStreams, 10_000L).intValue();
        }

        static Long positive(String name, Number value, long fallback) {
            if (value == null) {
                return fallback;
            }
            if (value.longValue() <= 0) {
                throw new IllegalArgumentException(name + " must be greater than 0");
            }
            return value.longValue();
        }
    }

    /** Settings of the built-in tools that reach outside the server. */
    public record Tools(
            @JsonProperty("httpRequest") HttpTool httpRequest,
            @JsonProperty("runCommand") CommandTool runCommand,
            @JsonProperty("orchestration") Orchestration orchestration) {

        public Tools {
            httpRequest = httpRequest == null ? new HttpTool(null, null, null, null, null) : httpRequest;
            runCommand = runCommand == null ? new CommandTool(null, null) : runCommand;
            orchestration = orchestration == null ? new Orchestration(null, null, null) : orchestration;
        }
    }

    /**
     * {@code delegate}, {@code spawn_subagent} and {@code broadcast} (issue 8): how far agents may hand work on.
     *
     * @param maxDepth levels of delegation below a conversation's agent
     * @param maxTasks tasks one conversation run may start, its workers' included
     * @param maxCostUsd what one run's workers may spend together before no new task starts
     */
    public record Orchestration(
            @JsonProperty("maxDepth") Integer maxDepth,
            @JsonProperty("maxTasks") Integer maxTasks,
            @JsonProperty("maxCostUsd") Double maxCostUsd) {

        public Orchestration {
            maxDepth = Limits.positive("maxDepth", maxDepth, dev.switchboard.team.OrchestrationLimits.DEFAULTS
                    .maxDepth()).intValue();
            maxTasks = Limits.positive("maxTasks", maxTasks, dev.switchboard.team.OrchestrationLimits.DEFAULTS
                    .maxTasks()).intValue();
            maxCostUsd = maxCostUsd == null ? dev.switchboard.team.OrchestrationLimits.DEFAULTS.maxCostUsd()
                    : maxCostUsd;
            if (maxCostUsd <= 0) {
                throw new IllegalArgumentException("maxCostUsd must be greater than 0");
            }
        }

        public dev.switchboard.team.OrchestrationLimits limits() {
            return new dev.switchboard.team.OrchestrationLimits(maxDepth, maxTasks, maxCostUsd);
        }
    }

    /**
     * {@code http_request}: which hosts it may reach and how much it may move.
     *
     * @param allowedHosts when not empty, the only hosts it may reach (exact, or {@code *.example.com})
     * @param allowPrivate hosts, addresses or CIDR ranges it may reach although they are loopback, private,
     *     link-local or cloud metadata addresses
     * @param maxResponseBytes the largest response body kept; longer ones are truncated
     * @param maxRequestBytes the largest request body sent
     * @param timeoutSeconds the longest a request may take, redirects and body included; a call may ask for less
     */
    public record HttpTool(
            @JsonProperty("allowedHosts") List<String> allowedHosts,
            @JsonProperty("allowPrivate") List<String> allowPrivate,
            @JsonProperty("maxResponseBytes") Integer maxResponseBytes,
            @JsonProperty("maxRequestBytes") Integer maxRequestBytes,
            @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {

        public HttpTool {
            allowedHosts = entries("allowedHosts", allowedHosts);
            allowPrivate = entries("allowPrivate", allowPrivate);
            new AddressPolicy(allowedHosts, allowPrivate);
            maxResponseBytes = Limits.positive("maxResponseBytes", maxResponseBytes, 1024 * 1024).intValue();
            maxRequestBytes = Limits.positive("maxRequestBytes", maxRequestBytes, 1024 * 1024).intValue();
            timeoutSeconds = Limits.positive("timeoutSeconds", timeoutSeconds, 30).intValue();
        }

        /** The hosts and addresses these settings let {@code http_request} reach. */
        public AddressPolicy policy() {
            return new AddressPolicy(allowedHosts, allowPrivate);
        }

        private static List<String> entries(String name, List<String> list) {
            if (list == null) {
                return List.of();
            }
            if (list.stream().anyMatch(entry -> entry == null || entry.isBlank())) {
                throw new IllegalArgumentException(name + " must not contain empty entries");
            }
            return List.copyOf(list);
        }
    }

    /**
     * {@code run_command}: how long a command may run and how much of its output is kept.
     *
     * @param maxTimeoutSeconds the longest timeout a call may ask for (60 seconds when it asks for none)
     * @param maxOutputBytes the output kept of a command, its start and its end; the middle is cut
     */
    public record CommandTool(
            @JsonProperty("maxTimeoutSeconds") Integer maxTimeoutSeconds,
            @JsonProperty("maxOutputBytes") Integer maxOutputBytes) {

        public CommandTool {
            maxTimeoutSeconds = Limits.positive("maxTimeoutSeconds", maxTimeoutSeconds, 600).intValue();
            maxOutputBytes = Limits.positive("maxOutputBytes", maxOutputBytes, 64 * 1024).intValue();
        }
    }

    /**
     * The DNS-rebinding guard of {@code /mcp}: requests must name this server in {@code Host} and, when a browser
     * sends one, come from an allowed {@code Origin}. Loopback names and the bound host are always allowed.
     *
     * @param allowedHosts further host names (without port) this server is reached by, such as a LAN name or a
     *     tunnel's host
     * @param allowedOrigins further browser origins ({@code scheme://host[:port]}) allowed to call it
     */
    public record McpServer(
            @JsonProperty("allowedHosts") List<String> allowedHosts,
            @JsonProperty("allowedOrigins") List<String> allowedOrigins) {

        public McpServer {
            allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream().map(McpServer::host).toList();
            allowedOrigins = allowedOrigins == null ? List.of()
                    : allowedOrigins.stream().map(McpServer::origin).toList();
        }

        private static String host(String value) {
            String host = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            boolean ipv6 = host.startsWith("[") && host.endsWith("]");
            if (host.isEmpty() || host.contains("/") || host.contains("@") || host.contains(" ")
                    || (!ipv6 && host.contains(":"))) {
                throw new IllegalArgumentException("allowedHosts entries must be host names such as "
                        + "'switchboard.lan' or '[fd00::1]', without scheme, path or port; got '" + value + "'");
            }
            return host;
        }

        static String origin(String value) {
            String problem = "allowedOrigins entries must be origins such as 'https://app.example.com' or "
                    + "'http://localhost:5173', got '" + value + "'";
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(problem);
            }
            URI uri;
            try {
                uri = new URI(value.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(problem);
            }
            boolean bare = (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null
                    && uri.getFragment() == null && uri.getUserInfo() == null;
            if (uri.getScheme() == null || uri.getHost() == null || !bare) {
                throw new IllegalArgumentException(problem);
            }
            return value.strip().toLowerCase(Locale.ROOT);
        }
    }

    /** How the HTTP server meets browsers. */
    public record Http(@JsonProperty("cors") Cors cors) {

        public Http {
            cors = cors == null ? new Cors(null, null, null) : cors;
        }
    }

    /**
     * Which web pages of other origins may call the API from a browser. None by default. Exact origins only: a
     * wildcard is refused, so no page the operator did not name can read the API's answers.
     *
     * @param allowedOrigins origins ({@code scheme://host[:port]}) whose pages may call the API
     * @param allowCredentials whether browsers may send cookies and HTTP authentication along
     *     ({@code Access-Control-Allow-Credentials}); the API's bearer tokens and keys do not need it
     * @param maxAgeSeconds how long a browser may reuse a preflight's answer
     */
    public record Cors(
            @JsonProperty("allowedOrigins") List<String> allowedOrigins,
            @JsonProperty("allowCredentials") Boolean allowCredentials,
            @JsonProperty("maxAgeSeconds") Integer maxAgeSeconds) {

        public Cors {
            if (allowedOrigins != null && allowedOrigins.stream().anyMatch(o -> o != null && o.strip().equals("*"))) {
                throw new IllegalArgumentException("allowedOrigins must list exact origins such as "
                        + "'https://app.example.com'; '*' is refused because it would let any web page call the API "
                        + "with the credentials a browser holds");
            }
            allowedOrigins = allowedOrigins == null ? List.of()
                    : allowedOrigins.stream().map(Cors::withoutDefaultPort).distinct().toList();
            allowCredentials = allowCredentials != null && allowCredentials;
            maxAgeSeconds = maxAgeSeconds == null ? 600 : maxAgeSeconds;
            if (maxAgeSeconds < 0 || maxAgeSeconds > 86_400) {
                throw new IllegalArgumentException("maxAgeSeconds must be between 0 and 86400");
            }
        }

        /** Browsers send {@code https://a.example} for port 443: an entry naming the default port must match it. */
        private static String withoutDefaultPort(String value) {
            String origin = McpServer.origin(value);
            if (origin.startsWith("http://") && origin.endsWith(":80")) {
                return origin.substring(0, origin.length() - 3);
            }
            if (origin.startsWith("https://") && origin.endsWith(":443")) {
                return origin.substring(0, origin.length() - 4);
            }
            return origin;
        }
    }

    /**
     * Requests per minute a client may send before it gets 429 with {@code Retry-After}; {@code 0} turns a limit
     * off. A client that was quiet may send a whole minute's allowance at once; after that its requests are
     * admitted at the steady rate.
     *
     * @param perIpPerMinute per client address
     * @param perCredentialPerMinute per presented API key or token, valid or not (kept as its SHA-256)
     * @param loginPerIpPerMinute sign-in attempts per client address
     * @param loginFailuresBeforeLockout failed sign-ins within 15 minutes that lock an account for a while
     * @param trustForwardedFor take the client address from the last {@code X-Forwarded-For} entry, for a server
     *     behind a reverse proxy that sets it; otherwise any client could pick its own address
     */
    public record RateLimits(
            @JsonProperty("perIpPerMinute") Integer perIpPerMinute,
            @JsonProperty("perCredentialPerMinute") Integer perCredentialPerMinute,
            @JsonProperty("loginPerIpPerMinute") Integer loginPerIpPerMinute,
            @JsonProperty("loginFailuresBeforeLockout") Integer loginFailuresBeforeLockout,
            @JsonProperty("trustForwardedFor") Boolean trustForwardedFor) {

        public RateLimits {
            perIpPerMinute = notNegative("perIpPerMinute", perIpPerMinute, 600);
            perCredentialPerMinute = notNegative("perCredentialPerMinute", perCredentialPerMinute, 1200);
            loginPerIpPerMinute = notNegative("loginPerIpPerMinute", loginPerIpPerMinute, 10);
            loginFailuresBeforeLockout = notNegative("loginFailuresBeforeLockout", loginFailuresBeforeLockout, 5);
            trustForwardedFor = trustForwardedFor != null && trustForwardedFor;
        }

        private static int notNegative(String name, Integer value, int fallback) {
            if (value == null) {
                return fallback;
            }
            if (value < 0) {
                throw new IllegalArgumentException(name + " must be 0 (no limit) or more");
            }
            return value;
        }
    }

    /**
     * Users and their sign-in.
     *
     * @param registration {@code closed} (the default: only an admin creates users, or opens registration at run
     *     time) or {@code open} (anyone who reaches the server may register as a user)
     * @param accessTokenMinutes how long a signed access token works (default 15)
     * @param refreshTokenDays how long a session may be refreshed without signing in again (default 30)
     */
    public record Auth(
            @JsonProperty("registration") String registration,
            @JsonProperty("accessTokenMinutes") Integer accessTokenMinutes,
            @JsonProperty("refreshTokenDays") Integer refreshTokenDays) {

        public Auth {
            registration = registration == null ? "closed" : registration.strip().toLowerCase(Locale.ROOT);
            if (!registration.equals("open") && !registration.equals("closed")) {
                throw new IllegalArgumentException("auth.registration must be 'open' or 'closed', got '"
                        + registration + "'");
            }
            accessTokenMinutes = accessTokenMinutes == null ? 15 : accessTokenMinutes;
            refreshTokenDays = refreshTokenDays == null ? 30 : refreshTokenDays;
            if (accessTokenMinutes < 1 || accessTokenMinutes > 24 * 60) {
                throw new IllegalArgumentException("auth.accessTokenMinutes must be between 1 and 1440");
            }
            if (refreshTokenDays < 1 || refreshTokenDays > 365) {
                throw new IllegalArgumentException("auth.refreshTokenDays must be between 1 and 365");
            }
        }

        public boolean registrationOpen() {
            return registration.equals("open");
        }
    }

    /**
     * The relying party passkeys (WebAuthn) are bound to. A passkey registered for one {@code rpId} never signs in
     * anywhere else, so choose it once: the host name users reach the server by, or a parent domain of it.
     *
     * @param rpId the relying party id, a domain name without scheme or port; {@code localhost} by default
     * @param rpName the name authenticators show beside the passkey; {@code Switchboard} by default
     * @param allowedOrigins the browser origins ({@code scheme://host[:port]}) ceremonies may come from; by default
     *     {@code http://localhost:<port>} and {@code http://127.0.0.1:<port>} with the port the server listens on.
     *     Each must be https, except on loopback, and its host must be the rpId or a subdomain of it
     * @param userVerification {@code required} (the default: the authenticator checks a PIN or biometrics, so a
     *     passkey alone is two factors) or {@code preferred} (also accepts keys that only test presence)
     * @param timeoutSeconds how long a ceremony may take and its challenge stays good; 300 by default
     */
    public record Passkeys(
            @JsonProperty("rpId") String rpId,
            @JsonProperty("rpName") String rpName,
            @JsonProperty("allowedOrigins") List<String> allowedOrigins,
            @JsonProperty("userVerification") String userVerification,
            @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {

        private static final Pattern DOMAIN = Pattern.compile(
                "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

        public Passkeys {
            rpId = rpId == null ? "localhost" : rpId.strip().toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(rpId).matches()) {
                throw new IllegalArgumentException("rpId must be a domain name such as 'example.com' or "
                        + "'localhost', without scheme, port or path; got '" + rpId + "'");
            }
            rpName = rpName == null ? "Switchboard" : rpName.strip();
            if (rpName.isEmpty() || rpName.length() > 100) {
                throw new IllegalArgumentException("rpName must be 1 to 100 characters");
            }
            if (allowedOrigins != null) {
                if (allowedOrigins.isEmpty()) {
                    throw new IllegalArgumentException("allowedOrigins must name at least one origin, "
                            + "or be left out for the loopback defaults");
                }
                String relyingParty = rpId;
                allowedOrigins = allowedOrigins.stream().map(o -> passkeyOrigin(o, relyingParty)).toList();
            }
            userVerification = userVerification == null ? "required" : userVerification.strip();
            if (!userVerification.equals("required") && !userVerification.equals("preferred")) {
                throw new IllegalArgumentException("userVerification must be 'required' or 'preferred'");
            }
            timeoutSeconds = Limits.positive("timeoutSeconds", timeoutSeconds, 300).intValue();
            if (timeoutSeconds > 3600) {
                throw new IllegalArgumentException("timeoutSeconds must be at most 3600");
            }
        }

        /** The allowed origins, or the loopback defaults on {@code port} when none are configured. */
        public List<String> origins(int port) {
            return allowedOrigins != null ? allowedOrigins
                    : List.of("http://localhost:" + port, "http://127.0.0.1:" + port);
        }

        public boolean requireUserVerification() {
            return userVerification.equals("required");
        }

        private static String passkeyOrigin(String value, String rpId) {
            String origin = McpServer.origin(value);
            URI uri = URI.create(origin);
            String host = uri.getHost();
            boolean loopback = host.equals("localhost") || host.endsWith(".localhost") || host.equals("127.0.0.1")
                    || host.equals("[::1]");
            if (!uri.getScheme().equals("https") && !(uri.getScheme().equals("http") && loopback)) {
                throw new IllegalArgumentException("allowedOrigins entries must use https (browsers only "
                        + "offer passkeys to secure origins; http is for loopback only), got '" + value + "'");
            }
            boolean underRpId = host.equals(rpId) || host.endsWith("." + rpId)
                    || (rpId.equals("localhost") && loopback);
            if (!underRpId) {
                throw new IllegalArgumentException("allowedOrigins entry '" + value + "' is not on the "
                        + "relying party '" + rpId + "': its host must be the rpId or a subdomain of it");
            }
            return origin;
        }
    }
}
