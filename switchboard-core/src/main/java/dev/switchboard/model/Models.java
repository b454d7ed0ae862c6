package dev.switchboard.model;

import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotConfiguredException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import dev.switchboard.vault.SecretReferences;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The model layer at runtime: which model each run calls (a session's switch, else its agent's switch, else its
 * topic route's primary, else the agent file's own), the backups that take over, the custom models and the
 * registry, all checked against the bundled {@link ModelCatalog}.
 */
public final class Models implements ModelRouter {

    /** Providers whose model names the catalog lists completely enough to refuse unknown ones. */
    private static final Set<String> CATALOGUED = Set.of(Providers.OPENAI, Providers.ANTHROPIC, Providers.GOOGLE,
            "openrouter");
    /** Providers Switchboard can call (OpenRouter through its OpenAI-compatible API). */
    public static final List<String> CALLABLE = List.of(Providers.OPENAI, Providers.OPENAI_COMPATIBLE,
            Providers.ANTHROPIC, Providers.GOOGLE, Providers.OLLAMA, "openrouter", Providers.LOCAL);
    public static final List<String> REASONING_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
    static final String OPENROUTER_URL = "https://openrouter.ai/api/v1";
    private static final Pattern ENV_REF = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}");

    /** How the calls to one provider's model went lately, as this server saw them. */
    public record Health(String provider, String model, long calls, long failures, Instant lastSuccessAt,
            Instant lastFailureAt, String lastError, int lastStatus, int consecutiveFailures) {

        /** Up unless the last call failed. */
        public String status() {
            return consecutiveFailures == 0 ? "up" : "down";
        }
    }

    /** Where a run's model came from. */
    public record Resolved(LlmSettings settings, String source, List<LlmSettings> backups) {
    }

    private final ModelCatalog catalog;
    private final ModelStore store;
    private final AgentCatalog agents;
    private final Map<String, String> env;
    private final Supplier<Set<String>> storedProviderKeys;
    private final Clock clock;
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private volatile LocalModels localModels;

    /** @param storedProviderKeys the providers whose key the vault holds ({@code POST /api/llm/key}) */
    public Models(ModelCatalog catalog, ModelStore store, AgentCatalog agents, Map<String, String> env,
            Supplier<Set<String>> storedProviderKeys, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.agents = agents;
        this.env = env;
        this.storedProviderKeys = storedProviderKeys;
        this.clock = clock;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public ModelStore store() {
        return store;
    }

    /** The models folder that switches and registrations to provider {@code local} are checked against. */
    public void useLocalModels(LocalModels local) {
        this.localModels = local;
    }

    // ---- routing

    @Override
    public List<LlmSettings> route(String sessionId, AgentDefinition agent) {
        Resolved resolved = resolve(sessionId, agent);
        List<LlmSettings> route = new ArrayList<>();
        route.add(resolved.settings());
        route.addAll(resolved.backups());
        return route;
    }

    /** The model a run of the session (null: any new session) of the agent calls now, and its backups. */
    public Resolved resolve(String sessionId, AgentDefinition agent) {
        LlmSettings base = agent.llm();
        Optional<TopicRoute> topic = store.route(agent.id()).or(() -> store.route(TopicRoute.DEFAULT));
        Optional<ModelChoice> forSession = sessionId == null ? Optional.empty()
                : store.choice(ModelStore.Scope.SESSION, sessionId);
        Optional<ModelChoice> forAgent = store.choice(ModelStore.Scope.AGENT, agent.id());
        LlmSettings chosen;
        String source;
        if (forSession.isPresent()) {
            chosen = apply(base, forSession.get());
            source = "session";
        } else if (forAgent.isPresent()) {
            chosen = apply(base, forAgent.get());
            source = "agent";
        } else if (topic.map(TopicRoute::primary).flatMap(store::registered).isPresent()) {
            chosen = apply(base, asChoice(store.registered(topic.get().primary()).orElseThrow()));
            source = "route:" + topic.get().topic();
        } else {
            chosen = base;
            source = "agent-file";
        }
        List<LlmSettings> backups = new ArrayList<>();
        topic.map(TopicRoute::backup).flatMap(store::registered).map(b -> apply(base, asChoice(b)))
                .filter(b -> !sameModel(b, chosen))
                .ifPresent(backups::add);
        return new Resolved(chosen, source, backups);
    }

    @Override
    public void reported(LlmSettings model, LlmException failure) {
        Instant now = clock.instant();
        health.compute(model.provider() + "\n" + model.model(), (key, h) -> {
            Health was = h == null ? new Health(model.provider(), model.model(), 0, 0, null, null, null, 0, 0) : h;
            return failure == null
                    ? new Health(was.provider(), was.model(), was.calls() + 1, was.failures(), now,
                            was.lastFailureAt(), was.lastError(), was.lastStatus(), 0)
                    : new Health(was.provider(), was.model(), was.calls() + 1, was.failures() + 1,
                            was.lastSuccessAt(), now, failure.getMessage(), failure.statusCode(),
                            was.consecutiveFailures() + 1);
        });
    }

    /** What this server saw of the model's calls since it started, if it called it. */
    public Optional<Health> health(String provider, String model) {
        return Optional.ofNullable(health.get(provider + "\n" + model));
    }

    // ---- switching

    /** Switches the agent's model for every session that has no switch of its own. */
    public Resolved switchAgent(String agentId, ModelChoice choice) {
        AgentDefinition agent = requireAgent(agentId);
        ModelChoice checked = check(agent, choice);
        store.saveChoice(ModelStore.Scope.AGENT, agentId, checked);
        return resolve(null, agent);
    }

    /** Switches one session's model; the agent's other sessions keep theirs. */
    public Resolved switchSession(String sessionId, String agentId, ModelChoice choice) {
        AgentDefinition agent = requireAgent(agentId);
        ModelChoice checked = check(agent, choice);
        store.saveChoice(ModelStore.Scope.SESSION, sessionId, checked);
        return resolve(sessionId, agent);
    }

    public AgentDefinition requireAgent(String agentId) {
        AgentDefinition agent = agents.find(agentId).orElseThrow(() -> new NotFoundException("agent", agentId));
        if (agent.llm() == null) {
            throw new NotConfiguredException(agent.llmProblem(), Map.of("agentId", agentId));
        }
        return agent;
    }

    /**
     * Checks a switch against the catalog and the custom models: a known provider Switchboard can call, a model the
     * catalog or a custom model names (any name for Ollama and OpenAI-compatible servers), sane limits.
     */
    public ModelChoice check(AgentDefinition agent, ModelChoice choice) {
        String model = choice.model() == null ? null : choice.model().strip();
        if (model == null || model.isEmpty()) {
            throw new InvalidInputException("model", "model is required");
        }
        Optional<CustomModel> custom = store.customModel(model);
        String provider = choice.provider() != null ? checkProvider(choice.provider())
                : custom.map(CustomModel::provider).orElse(agent.llm().provider());
        if (custom.isPresent() && !custom.get().provider().equals(provider)) {
            custom = Optional.empty();
        }
        if (custom.isEmpty()) {
            checkModel(provider, model);
        }
        String baseUrl = choice.baseUrl() == null ? null : checkUrl(choice.baseUrl(), "baseURL");
        boolean sameProvider = provider.equals(agent.llm().provider());
        if (Providers.OPENAI_COMPATIBLE.equals(provider) && baseUrl == null && custom.map(CustomModel::baseUrl)
                .isEmpty() && !(sameProvider && agent.llm().baseUrl() != null)) {
            throw new InvalidInputException("baseURL", "baseURL is required for provider 'openai-compatible'");
        }
        positive(choice.maxIterations(), "maxIterations");
        positive(choice.maxInputTokens(), "maxInputTokens");
        positive(choice.maxOutputTokens(), "maxOutputTokens");
        if (choice.temperature() != null && (choice.temperature() < 0 || choice.temperature() > 1)) {
            throw new InvalidInputException("temperature", "temperature must be between 0 and 1");
        }
        checkEffort(choice.reasoningEffort());
        String apiKey = checkKeyReference(choice.apiKey());
        return new ModelChoice(provider, model, baseUrl, apiKey, choice.maxIterations(), choice.maxInputTokens(),
                choice.maxOutputTokens(), choice.temperature(), choice.reasoningEffort(), clock.instant());
    }

    /** A provider of seed 004's list that Switchboard can call; 400 naming {@code provider} otherwise. */
    public static String checkProvider(String provider) {
        String p = provider == null ? "" : provider.strip();
        if (!Providers.KEY_VARIABLES.containsKey(p)) {
            throw new InvalidInputException("provider", "unknown provider '" + p + "'; known: "
                    + String.join(", ", Providers.KEY_VARIABLES.keySet()));
        }
        if (!CALLABLE.contains(p)) {
            throw new InvalidInputException("provider", "provider '" + p + "' cannot be called by this server; use "
                    + "one of " + String.join(", ", CALLABLE) + " (openai-compatible with its baseURL reaches most "
                    + "others)");
        }
        return p;
    }

    /** A model the catalog lists for the provider, where the catalog is the authority on its names. */
    public void checkModel(String provider, String model) {
        if (!NAME.matcher(model).matches()) {
            throw new InvalidInputException("model", "model must be 1-128 letters, digits and ._:/@-");
        }
        if (Providers.LOCAL.equals(provider) && localModels != null) {
            localModels.validate(model, "model");
        }
        if (CATALOGUED.contains(provider) && catalog.find(provider, model).isEmpty()
                && store.customModel(model).filter(c -> c.provider().equals(provider)).isEmpty()) {
            throw new InvalidInputException("model", "unknown model '" + model + "' for provider '" + provider
                    + "': pick one from GET /api/llm/catalog?provider=" + provider
                    + " or save it first with POST /api/llm/custom-models");
        }
    }

    public static String checkUrl(String url, String field) {
        String u = url.strip();
        try {
            URI uri = URI.create(u);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidInputException(field, field + " must be an http or https URL");
    }

    public static void positive(Integer value, String field) {
        if (value != null && value <= 0) {
            throw new InvalidInputException(field, field + " must be greater than 0");
        }
    }

    public static void checkEffort(String effort) {
        if (effort != null && !REASONING_EFFORTS.contains(effort)) {
            throw new InvalidInputException("reasoningEffort", "reasoningEffort must be one of "
                    + String.join(", ", REASONING_EFFORTS));
        }
    }

    /** Null, or a {@code $VAULT:name} / {@code $ENV_VAR} reference: keys themselves are never stored here. */
    public static String checkKeyReference(String apiKey) {
        if (apiKey == null) {
            return null;
        }
        String k = apiKey.strip();
        if (SecretReferences.referencedName(k) == null && !ENV_REF.matcher(k).matches()) {
            throw new InvalidInputException("apiKey", "apiKey must be a reference, never a key: store the key with "
                    + "POST /api/llm/key or in the vault and give $VAULT:<name>, or give $ENV_VAR");
        }
        return k;
    }

    // ---- custom models

    public CustomModel saveCustomModel(CustomModel model) {
        if (model.name() == null || model.name().isBlank()) {
            throw new InvalidInputException("name", "name is required");
        }
        if (!NAME.matcher(model.name().strip()).matches()) {
            throw new InvalidInputException("name", "name must be 1-128 letters, digits and ._:/@-");
        }
        String provider = model.provider() == null ? Providers.OPENAI_COMPATIBLE : checkProvider(model.provider());
        String baseUrl = model.baseUrl() == null ? null : checkUrl(model.baseUrl(), "baseURL");
        if (Providers.OPENAI_COMPATIBLE.equals(provider) && baseUrl == null) {
            throw new InvalidInputException("baseURL", "baseURL is required for provider 'openai-compatible'");
        }
        positive(model.maxInputTokens(), "maxInputTokens");
        positive(model.maxOutputTokens(), "maxOutputTokens");
        checkEffort(model.reasoningEffort());
        CustomModel checked = new CustomModel(model.name().strip(), provider, baseUrl, model.displayName(),
                model.maxInputTokens(), model.maxOutputTokens(), checkKeyReference(model.apiKey()), model.filePath(),
                model.reasoningEffort(), clock.instant());
        store.saveCustomModel(checked);
        return checked;
    }

    // ---- registry

    /** Checks and stores a new registered model. */
    public RegisteredModel register(RegisteredModel model) {
        RegisteredModel checked = checkRegistered(model, null);
        store.register(checked);
        return checked;
    }

    /** Applies the non-null fields of {@code change} to the registered model. */
    public RegisteredModel updateRegistered(String name, RegisteredModel change) {
        RegisteredModel was = store.registered(name).orElseThrow(() -> new NotFoundException("model", name));
        RegisteredModel merged = new RegisteredModel(name,
                change.provider() != null ? change.provider() : was.provider(),
                change.model() != null ? change.model() : was.model(),
                change.baseUrl() != null ? change.baseUrl() : was.baseUrl(),
                change.apiKey() != null ? change.apiKey() : was.apiKey(),
                change.maxOutputTokens() != null ? change.maxOutputTokens() : was.maxOutputTokens(),
                change.temperature() != null ? change.temperature() : was.temperature(), was.createdAt(), null);
        RegisteredModel checked = checkRegistered(merged, was.createdAt());
        store.updateRegistered(checked);
        return checked;
    }

    /** Removes a registered model no route uses; 409 naming the route otherwise. */
    public void deleteRegistered(String name) {
        store.registered(name).orElseThrow(() -> new NotFoundException("model", name));
        for (TopicRoute route : store.routes()) {
            if (name.equals(route.primary()) || name.equals(route.backup())) {
                throw new ConflictException("Model '" + name + "' is used by the route of topic '" + route.topic()
                        + "'; change that route first", Map.of("topic", route.topic()));
            }
        }
        store.deleteRegistered(name);
    }

    /** Makes the registered model the primary of the {@code default} topic, keeping its backup. */
    public TopicRoute setDefault(String name) {
        store.registered(name).orElseThrow(() -> new NotFoundException("model", name));
        String backup = store.route(TopicRoute.DEFAULT).map(TopicRoute::backup).orElse(null);
        TopicRoute route = new TopicRoute(TopicRoute.DEFAULT, name, name.equals(backup) ? null : backup,
                clock.instant());
        store.saveRoute(route);
        return route;
    }

    /** Sets a topic's primary and backup, both registered models (either may be null, not both). */
    public TopicRoute route(String topic, String primary, String backup) {
        if (topic == null || !Pattern.matches("[a-z0-9][a-z0-9_-]{0,63}", topic)) {
            throw new InvalidInputException("topic", "topic must be an agent id or 'default' (lower-case letters, "
                    + "digits, - and _)");
        }
        if (primary == null && backup == null) {
            throw new InvalidInputException("primary", "give a primary, a backup or both");
        }
        for (String[] named : new String[][] {{"primary", primary}, {"backup", backup}}) {
            if (named[1] != null && store.registered(named[1]).isEmpty()) {
                throw new InvalidInputException(named[0], named[0] + " names no registered model: '" + named[1]
                        + "' (register it with POST /api/models)");
            }
        }
        if (primary != null && primary.equals(backup)) {
            throw new InvalidInputException("backup", "backup must differ from primary");
        }
        TopicRoute route = new TopicRoute(topic, primary, backup, clock.instant());
        store.saveRoute(route);
        return route;
    }

    private RegisteredModel checkRegistered(RegisteredModel model, Instant createdAt) {
        String name = model.name() == null ? "" : model.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "name is required: 1-128 letters, digits and ._:/@-");
        }
        String provider = checkProvider(model.provider());
        String id = model.model() == null ? "" : model.model().strip();
        if (id.isEmpty()) {
            throw new InvalidInputException("model", "model is required");
        }
        checkModel(provider, id);
        String baseUrl = model.baseUrl() == null ? null : checkUrl(model.baseUrl(), "baseURL");
        if (Providers.OPENAI_COMPATIBLE.equals(provider) && baseUrl == null
                && store.customModel(id).map(CustomModel::baseUrl).isEmpty()) {
            throw new InvalidInputException("baseURL", "baseURL is required for provider 'openai-compatible'");
        }
        positive(model.maxOutputTokens(), "maxOutputTokens");
        if (model.temperature() != null && (model.temperature() < 0 || model.temperature() > 2)) {
            throw new InvalidInputException("temperature", "temperature must be between 0 and 2");
        }
        Instant now = clock.instant();
        return new RegisteredModel(name, provider, id, baseUrl, checkKeyReference(model.apiKey()),
                model.maxOutputTokens(), model.temperature(), createdAt == null ? now : createdAt, now);
    }

    // ---- resolution

    private static ModelChoice asChoice(RegisteredModel m) {
        return new ModelChoice(m.provider(), m.model(), m.baseUrl(), m.apiKey(), null, null, m.maxOutputTokens(),
                m.temperature(), null, m.updatedAt());
    }

    /** The agent's settings with the choice applied: the key and endpoint follow the provider. */
    LlmSettings apply(LlmSettings base, ModelChoice choice) {
        String provider = choice.provider() == null ? base.provider() : choice.provider();
        boolean sameProvider = provider.equals(base.provider());
        Optional<CustomModel> custom = store.customModel(choice.model()).filter(c -> c.provider().equals(provider));
        String baseUrl = choice.baseUrl() != null ? choice.baseUrl()
                : custom.map(CustomModel::baseUrl).orElse(sameProvider ? base.baseUrl() : null);
        String configuredKey = choice.apiKey() != null ? choice.apiKey()
                : custom.map(CustomModel::apiKey).orElse(null);
        String apiKey = configuredKey != null ? expand(configuredKey)
                : sameProvider ? base.apiKey() : providerKey(provider);
        String wireProvider = provider;
        if ("openrouter".equals(provider)) {
            // OpenRouter speaks OpenAI's API; its own key and endpoint
            wireProvider = Providers.OPENAI_COMPATIBLE;
            baseUrl = baseUrl == null ? OPENROUTER_URL : baseUrl;
        }
        Integer maxInput = choice.maxInputTokens() != null ? choice.maxInputTokens()
                : custom.map(CustomModel::maxInputTokens).orElse(catalog.find(provider, choice.model())
                        .map(CatalogModel::contextWindow).orElse(sameProvider ? base.maxInputTokens() : null));
        Integer maxOutput = choice.maxOutputTokens() != null ? choice.maxOutputTokens()
                : custom.map(CustomModel::maxOutputTokens).orElse(base.maxOutputTokens());
        return new LlmSettings(wireProvider, choice.model(), apiKey, baseUrl,
                choice.maxIterations() != null ? choice.maxIterations() : base.maxIterations(), maxInput, maxOutput,
                choice.temperature() != null ? choice.temperature() : base.temperature(),
                choice.reasoningEffort() != null ? choice.reasoningEffort()
                        : custom.map(CustomModel::reasoningEffort).orElse(sameProvider ? base.reasoningEffort() : null),
                base.timeoutSeconds(), base.maxRetries());
    }

    /** Whether a key for the provider is at hand: in the vault or the environment. */
    public boolean hasKey(String provider) {
        return providerKey(provider) != null;
    }

    /** The provider's key for a call: a vault reference when the vault holds it, else the environment's; or null. */
    public String keyFor(String provider) {
        return providerKey(provider);
    }

    private String providerKey(String provider) {
        if (storedProviderKeys.get().contains(provider)) {
            return "$VAULT:" + Providers.keyEntryName(provider);
        }
        String variable = Providers.KEY_VARIABLES.get(provider);
        String value = variable == null ? null : env.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    /** A {@code $VAULT:} reference stays one, read at each call; {@code $ENV_VAR} is read from the environment. */
    private String expand(String reference) {
        if (SecretReferences.referencedName(reference) != null) {
            return reference;
        }
        var env = ENV_REF.matcher(reference);
        return env.matches() ? this.env.get(env.group(1)) : reference;
    }

    private static boolean sameModel(LlmSettings a, LlmSettings b) {
        return a.provider().equals(b.provider()) && a.model().equals(b.model())
                && java.util.Objects.equals(a.baseUrl(), b.baseUrl());
    }
}
