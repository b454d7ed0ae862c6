package dev.switchboard.config;

import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpExposure;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.agent.Permissions;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import dev.switchboard.vault.SecretReferences;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agents declared in {@code agents/*.yml}, one per file, the id being the file name. An agent's API key comes
 * from its file ({@code apiKey}: literal, {@code $VAR} or {@code $VAULT:name}), else from a provider key stored in the
 * vault ({@code POST /api/llm/key}), else from the provider's environment variable.
 */
public final class FileAgentCatalog implements AgentCatalog {

    private static final Pattern ENV_REF = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");
    private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** An agent file as read, kept so that its definition can be derived again when stored provider keys change. */
    private record Declared(AgentFile file, Path workspace) {
    }

    private final Map<String, Declared> declared;
    private final Map<String, String> env;
    private volatile Map<String, AgentDefinition> agents;
    private final Path agentsDir;
    private final Path workspacesDir;
    private final Set<String> knownTools;
    private Set<String> storedProviderKeys = Set.of();
    /** The provider/model profile the default agent uses instead of its file's, or null for the file's own. */
    private dev.switchboard.profile.ModelProfile profile;

    private FileAgentCatalog(Map<String, Declared> declared, Map<String, String> env, Path agentsDir,
            Path workspacesDir, Set<String> knownTools) {
        this.declared = declared;
        this.env = env;
        this.agentsDir = agentsDir;
        this.workspacesDir = workspacesDir;
        this.knownTools = knownTools == null ? null : Set.copyOf(knownTools);
        this.agents = derive(Set.of());
    }

    private Map<String, AgentDefinition> derive(Set<String> storedProviderKeys) {
        String defaultId = defaultIdAmong(declared.keySet());
        Map<String, AgentDefinition> derived = new LinkedHashMap<>();
        declared.forEach((id, agent) -> {
            AgentFile file = profile != null && id.equals(defaultId) ? withProfile(agent.file(), profile)
                    : agent.file();
            derived.put(id, toDefinition(id, file, env, agent.workspace(), storedProviderKeys));
        });
        return java.util.Collections.unmodifiableMap(derived);
    }

    /**
     * Makes the default agent use the profile's provider and model (null: its file's own) from its next run. The key
     * stays where it was: the profile's reference, else the file's own key when the file names the same provider,
     * else the vault's provider key or the environment, as for any agent.
     */
    public synchronized void useProfile(dev.switchboard.profile.ModelProfile newProfile) {
        profile = newProfile;
        agents = derive(storedProviderKeys);
    }

    /**
     * The default agent's model settings from its file alone, whatever profile is in use: what the built-in profile
     * shows. Empty when the file's settings cannot run (no provider, no key).
     */
    public synchronized Optional<LlmSettings> ownLlm(String agentId) {
        Declared agent = declared.get(agentId);
        if (agent == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(resolveLlm(agentId, agent.file().llm(), env, storedProviderKeys,
                new ArrayList<>()));
    }

    private static AgentFile withProfile(AgentFile file, dev.switchboard.profile.ModelProfile p) {
        AgentFile.Llm own = file.llm();
        boolean sameProvider = own != null && p.provider().equals(own.provider());
        String apiKey = p.apiKey() != null ? p.apiKey() : sameProvider ? own.apiKey() : null;
        String baseUrl = p.baseUrl() != null ? p.baseUrl() : sameProvider ? own.baseURL() : null;
        AgentFile.Llm llm = new AgentFile.Llm(p.provider(), p.model(), apiKey, baseUrl,
                own == null ? null : own.maxIterations(), own == null ? null : own.maxInputTokens(),
                p.maxTokens() != null ? p.maxTokens() : own == null ? null : own.maxOutputTokens(),
                p.temperature() != null ? p.temperature() : own == null ? null : own.temperature(),
                sameProvider ? own.reasoningEffort() : null, own == null ? null : own.timeoutSeconds(),
                own == null ? null : own.maxRetries());
        return file.withLlm(llm);
    }

    /**
     * Derives every agent's model settings again, knowing which providers now have a key in the vault: an agent
     * without a key of its own uses it from its next call on, and one without any provider can pick it up.
     */
    public synchronized void useStoredProviderKeys(Set<String> providers) {
        storedProviderKeys = Set.copyOf(providers);
        agents = derive(storedProviderKeys);
    }

    /** The id the catalog protects from deletion: the agent used when a request names none. */
    public static final String DEFAULT_AGENT = "default";

    /**
     * The agent's file as a tree (YAML keys as given), for showing and editing it; empty when there is no such agent.
     */
    public synchronized Optional<com.fasterxml.jackson.databind.node.ObjectNode> declaration(String agentId) {
        if (!declared.containsKey(agentId)) {
            return Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = YAML_WRITER.readTree(Files.readString(fileOf(agentId)));
            return Optional.of(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object ? object
                    : YAML_WRITER.createObjectNode());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the file of agent " + agentId, e);
        }
    }

    /**
     * Validates the agent file {@code content} as the loader does, writes it to {@code agents/<id>.yml} (keeping the
     * previous file as {@code .bak}) and uses it from the next run on.
     *
     * @return the agent as now defined
     * @throws ConfigException naming the key at fault when the content is not a valid agent file
     */
    public synchronized AgentDefinition saveAgent(String agentId, com.fasterxml.jackson.databind.node.ObjectNode content) {
        String yaml;
        try {
            yaml = YAML_WRITER.writeValueAsString(content);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return write(agentId, yaml);
    }

    /**
     * Checks agent file text as the loader would, without saving it: the agent it would define, its llm problem
     * (a warning, not an error) included.
     *
     * @throws ConfigException naming the line, column and key of the first problem
     */
    public AgentDefinition validate(String agentId, String yaml) {
        AgentFile parsed = read("agents/" + agentId + ".yml", yaml, knownTools);
        Set<String> keys;
        synchronized (this) {
            keys = storedProviderKeys;
        }
        return toDefinition(agentId, parsed, env, workspace(agentId, parsed.workspace(), workspacesDir), keys);
    }

    /**
     * Saves agent file text as given (comments kept) after validating it, keeping the previous file as
     * {@code .bak}, and uses it from the next run on: no restart.
     *
     * @return the agent as now defined
     * @throws ConfigException naming the line, column and key at fault
     */
    public synchronized AgentDefinition saveAgentYaml(String agentId, String yaml) {
        return write(agentId, yaml);
    }

    /** Validates the text, keeps the previous file as {@code .bak}, writes atomically and derives the agent again. */
    private AgentDefinition write(String agentId, String yaml) {
        if (!AGENT_ID.matcher(agentId).matches()) {
            throw new ConfigException("agents/" + agentId + ".yml", 0, 0, "id",
                    "must be a lower-case agent id: letters, digits, '-', '_', at most 64 characters");
        }
        AgentFile parsed = read("agents/" + agentId + ".yml", yaml, knownTools);
        Path file = declared.containsKey(agentId) ? fileOf(agentId) : agentsDir.resolve(agentId + ".yml");
        try {
            if (Files.exists(file)) {
                Files.copy(file, file.resolveSibling(file.getFileName() + ".bak"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, yaml);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        declared.put(agentId, new Declared(parsed, workspace(agentId, parsed.workspace(), workspacesDir)));
        agents = derive(storedProviderKeys);
        return agents.get(agentId);
    }

    /** The agent's file as written, comments included; empty when there is no such agent. */
    public synchronized Optional<String> yaml(String agentId) {
        if (!declared.containsKey(agentId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(fileOf(agentId)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the file of agent " + agentId, e);
        }
    }

    /** Where the agent's file is (or would be written). */
    public Path pathOf(String agentId) {
        return fileOf(agentId);
    }

    /** Removes the agent's file (kept as {@code .bak}) and the agent; false when there is no such agent. */
    public synchronized boolean deleteAgent(String agentId) {
        if (!declared.containsKey(agentId)) {
            return false;
        }
        Path file = fileOf(agentId);
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".bak"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + file, e);
        }
        declared.remove(agentId);
        agents = derive(storedProviderKeys);
        return true;
    }

    /** Whether the agent's file leaves it enabled ({@code enabled: false} disables it). */
    public synchronized boolean isEnabled(String agentId) {
        Declared agent = declared.get(agentId);
        return agent != null && !Boolean.FALSE.equals(agent.file().enabled());
    }

    /**
     * Loads every agent file, failing on the first invalid one with its file, line and key.
     *
     * @param workspacesDir where agents get their workspace folders unless their file names one
     * @param knownTools the built-in tools an agent's {@code tools:} may name
     */
    public static FileAgentCatalog load(Path agentsDir, Path workspacesDir, java.util.Set<String> knownTools,
            Map<String, String> env) {
        Map<String, Declared> agents = new LinkedHashMap<>();
        List<Path> files;
        try (var list = Files.list(agentsDir)) {
            files = list.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + agentsDir, e);
        }
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String id = fileName.replaceFirst("\\.ya?ml$", "");
            String shown = "agents/" + fileName;
            if (!AGENT_ID.matcher(id).matches()) {
                throw new ConfigException(shown, 0, 0, null,
                        "the file name must be a lower-case agent id (letters, digits, '-', '_')");
            }
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            AgentFile parsed = read(shown, text, knownTools);
            agents.put(id, new Declared(parsed, workspace(id, parsed.workspace(), workspacesDir)));
        }
        return new FileAgentCatalog(agents, Map.copyOf(env), agentsDir, workspacesDir, knownTools);
    }

    /** Parses and validates one agent's YAML without loading it, for tests: no workspace, any tool names. */
    public static AgentDefinition parse(String id, String fileName, String yaml, Map<String, String> env) {
        return parse(id, fileName, yaml, env, null, null);
    }

    /**
     * Parses and validates one agent's YAML.
     *
     * @param workspacesDir the parent of default workspaces, and what a relative {@code workspace} is resolved
     *     against; null leaves the workspace unset unless the file gives an absolute one
     * @param knownTools the built-in tool names {@code tools:} may use; null accepts any
     */
    public static AgentDefinition parse(String id, String fileName, String yaml, Map<String, String> env,
            Path workspacesDir, java.util.Set<String> knownTools) {
        AgentFile file = read(fileName, yaml, knownTools);
        return toDefinition(id, file, env, workspace(id, file.workspace(), workspacesDir), Set.of());
    }

    private static AgentFile read(String fileName, String yaml, java.util.Set<String> knownTools) {
        AgentFile file = YamlFiles.read(fileName, yaml, AgentFile.class);
        if (knownTools != null && file.tools() != null) {
            for (int i = 0; i < file.tools().size(); i++) {
                String tool = file.tools().get(i);
                if (!knownTools.contains(tool)) {
                    int[] at = YamlFiles.lineOf(yaml, "tools");
                    throw new ConfigException(fileName, at[0], at[1], "tools[" + i + "]", "unknown tool '" + tool
                            + "' (built-in tools: " + String.join(", ", new java.util.TreeSet<>(knownTools))
                            + "; MCP servers' tools come with mcpServers)");
                }
            }
        }
        if (file.mcpServers() != null) {
            for (String server : file.mcpServers().keySet()) {
                try {
                    McpServerConfig.name(server, "mcpServers." + server);
                } catch (dev.switchboard.failure.InvalidInputException e) {
                    int[] at = YamlFiles.lineOf(yaml, "mcpServers." + server);
                    throw new ConfigException(fileName, at[0], at[1], "mcpServers." + server,
                            "the server name " + e.getMessage() + " (it becomes part of its tools' names)");
                }
            }
        }
        return file;
    }

    private static Path workspace(String id, String declared, Path workspacesDir) {
        if (declared != null && !declared.isBlank()) {
            Path path = Path.of(declared.strip());
            if (path.isAbsolute()) {
                return path.normalize();
            }
            return workspacesDir == null ? null : workspacesDir.getParent().resolve(path).normalize();
        }
        return workspacesDir == null ? null : workspacesDir.resolve(id);
    }

    @Override
    public Optional<AgentDefinition> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    @Override
    public List<AgentDefinition> all() {
        return List.copyOf(agents.values());
    }

    @Override
    public String defaultAgentId() {
        return defaultIdAmong(agents.keySet());
    }

    private String defaultIdAmong(Set<String> ids) {
        String preferred = preferredDefault;
        if (preferred != null && ids.contains(preferred)) {
            return preferred;
        }
        return ids.contains("default") ? "default" : ids.stream().findFirst().orElse("default");
    }

    private volatile String preferredDefault;

    /** Makes {@code agentId} the agent used when a request names none (null: back to {@code default}). */
    public synchronized void preferDefault(String agentId) {
        preferredDefault = agentId;
        if (profile != null) {
            // the profile follows the default agent
            agents = derive(storedProviderKeys);
        }
    }

    /**
     * Writes the server into the agent's file under {@code mcpServers}, replacing an entry of the same name, after
     * keeping the previous file as {@code <id>.yml.bak}. The file is rewritten from its parsed form, so comments in
     * it are not kept (the backup has them).
     */
    public synchronized void saveMcpServer(String agentId, String name, McpServerDeclaration declaration) {
        rewrite(agentId, root -> root.withObject("/mcpServers")
                .set(name, YAML_WRITER.valueToTree(McpServerConfig.toYaml(declaration))));
    }

    /** Removes the server from the agent's file, if it is there; keeps a backup like {@link #saveMcpServer}. */
    public synchronized boolean removeMcpServer(String agentId, String name) {
        if (!declaredMcpServers(agentId).contains(name)) {
            return false;
        }
        boolean[] removed = {false};
        rewrite(agentId, root -> {
            if (root.get("mcpServers") instanceof com.fasterxml.jackson.databind.node.ObjectNode servers) {
                removed[0] = servers.remove(name) != null;
            }
        });
        return removed[0];
    }

    /** The names of the MCP servers the agent's file declares now (it may have changed since the start). */
    public synchronized java.util.Set<String> declaredMcpServers(String agentId) {
        Path file = fileOf(agentId);
        try {
            com.fasterxml.jackson.databind.JsonNode servers = YAML_WRITER.readTree(Files.readString(file))
                    .path("mcpServers");
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            servers.fieldNames().forEachRemaining(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private Path fileOf(String agentId) {
        Path file = agentsDir.resolve(agentId + ".yml");
        return Files.exists(file) ? file : agentsDir.resolve(agentId + ".yaml");
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML_WRITER =
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()
                    .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private void rewrite(String agentId, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
        Path file = fileOf(agentId);
        try {
            String text = Files.readString(file);
            com.fasterxml.jackson.databind.JsonNode parsed = YAML_WRITER.readTree(text);
            com.fasterxml.jackson.databind.node.ObjectNode root = parsed instanceof
                    com.fasterxml.jackson.databind.node.ObjectNode object ? object : YAML_WRITER.createObjectNode();
            edit.accept(root);
            Files.writeString(file.resolveSibling(file.getFileName() + ".bak"), text);
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, YAML_WRITER.writeValueAsString(root));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot update " + file, e);
        }
    }

    private static AgentDefinition toDefinition(String id, AgentFile file, Map<String, String> env, Path workspace,
            Set<String> storedProviderKeys) {
        List<String> problems = new ArrayList<>();
        LlmSettings llm = resolveLlm(id, file.llm(), env, storedProviderKeys, problems);
        if (Boolean.FALSE.equals(file.enabled())) {
            // a disabled agent keeps its definition (it is listed) but refuses runs, the way an unconfigured one does
            llm = null;
            problems.clear();
            problems.add("Agent '" + id + "' is disabled; an administrator enables it with "
                    + "POST /v1/agent-profiles/" + id + "/toggle.");
        }
        Map<String, McpServerDeclaration> servers = new LinkedHashMap<>();
        if (file.mcpServers() != null) {
            file.mcpServers().forEach((name, server) -> servers.put(name, server.toDeclaration()));
        }
        Permissions permissions = file.permissions() == null ? Permissions.DEFAULT : new Permissions(
                file.permissions().mode() == null ? "manual" : file.permissions().mode(),
                file.permissions().timeout() == null ? Permissions.DEFAULT.timeoutMs() : file.permissions().timeout(),
                file.permissions().alwaysAllow(), file.permissions().alwaysDeny());
        McpExposure exposure = file.expose() == null ? McpExposure.DEFAULT
                : new McpExposure(file.expose().mcp() == null || file.expose().mcp(), file.expose().tools());
        return new AgentDefinition(id, file.name() == null ? id : file.name(), file.description(),
                file.systemPrompt() == null ? "" : file.systemPrompt(), llm,
                problems.isEmpty() ? null : String.join(" ", problems),
                file.tools(), servers, permissions, file.greeting(), workspace, exposure,
                file.context() == null ? null : file.context().toOverrides());
    }

    /**
     * Fills the llm section from the vault's provider keys and the environment; returns null and explains why when
     * no provider is usable.
     *
     * @param storedProviderKeys the providers with a key in the operator's vault ({@code llm.<provider>})
     */
    private static LlmSettings resolveLlm(String id, AgentFile.Llm section, Map<String, String> env,
            Set<String> storedProviderKeys, List<String> problems) {
        AgentFile.Llm llm = section == null
                ? new AgentFile.Llm(null, null, null, null, null, null, null, null, null, null, null) : section;
        String provider = llm.provider() == null ? detectProvider(env, storedProviderKeys) : llm.provider();
        if (provider == null) {
            problems.add("No LLM provider is configured for agent '" + id + "'. Set OPENAI_API_KEY, "
                    + "ANTHROPIC_API_KEY, GOOGLE_API_KEY (or GEMINI_API_KEY) or OLLAMA_BASE_URL in the server's "
                    + "environment, store a provider key with POST /api/llm/key, or add an llm section (provider, "
                    + "model, apiKey) to agents/" + id + ".yml.");
            return null;
        }
        String apiKey;
        if (llm.apiKey() != null) {
            // a vault reference stays one: it is read on every call, by the agent, audited
            apiKey = SecretReferences.referencedName(llm.apiKey()) != null ? llm.apiKey().strip()
                    : expand(llm.apiKey(), env);
        } else if (storedProviderKeys.contains(provider)) {
            apiKey = "$VAULT:" + Providers.keyEntryName(provider);
        } else {
            apiKey = keyFromEnv(provider, env);
        }
        String baseUrl = llm.baseURL() == null ? baseUrlFromEnv(provider, env) : llm.baseURL();
        if (apiKey == null && Providers.NEED_KEY.contains(provider)) {
            String hint = llm.apiKey() != null ? "its apiKey " + llm.apiKey() + " refers to an unset variable"
                    : "set " + envVarFor(provider) + " or store a key with POST /api/llm/key";
            problems.add("Agent '" + id + "' uses provider '" + provider + "' but has no API key: " + hint + ".");
            return null;
        }
        if (Providers.OPENAI_COMPATIBLE.equals(provider) && baseUrl == null) {
            problems.add("Agent '" + id + "' uses provider 'openai-compatible', which needs llm.baseURL.");
            return null;
        }
        return new LlmSettings(provider, llm.model() == null ? defaultModel(provider) : llm.model(), apiKey, baseUrl,
                llm.maxIterations() == null ? 25 : llm.maxIterations(), llm.maxInputTokens(), llm.maxOutputTokens(),
                llm.temperature(), llm.reasoningEffort(), llm.timeoutSeconds() == null ? 300 : llm.timeoutSeconds(),
                llm.maxRetries() == null ? 3 : llm.maxRetries());
    }

    private static String detectProvider(Map<String, String> env, Set<String> storedProviderKeys) {
        String fromEnv = detectProvider(env);
        if (fromEnv != null) {
            return fromEnv;
        }
        return Providers.NEED_KEY.stream().filter(storedProviderKeys::contains).findFirst().orElse(null);
    }

    private static String detectProvider(Map<String, String> env) {
        if (present(env, "OPENAI_API_KEY")) {
            return Providers.OPENAI;
        }
        if (present(env, "ANTHROPIC_API_KEY")) {
            return Providers.ANTHROPIC;
        }
        if (present(env, "GOOGLE_API_KEY") || present(env, "GEMINI_API_KEY")) {
            return Providers.GOOGLE;
        }
        if (present(env, "OLLAMA_BASE_URL")) {
            return Providers.OLLAMA;
        }
        return null;
    }

    private static String keyFromEnv(String provider, Map<String, String> env) {
        return switch (provider) {
            case Providers.OPENAI, Providers.OPENAI_COMPATIBLE -> value(env, "OPENAI_API_KEY");
            case Providers.ANTHROPIC -> value(env, "ANTHROPIC_API_KEY");
            case Providers.GOOGLE -> value(env, "GOOGLE_API_KEY") != null ? value(env, "GOOGLE_API_KEY")
                    : value(env, "GEMINI_API_KEY");
            default -> null;
        };
    }

    private static String baseUrlFromEnv(String provider, Map<String, String> env) {
        return switch (provider) {
            case Providers.OPENAI -> value(env, "OPENAI_BASE_URL");
            case Providers.OLLAMA -> value(env, "OLLAMA_BASE_URL");
            default -> null;
        };
    }

    private static String envVarFor(String provider) {
        return switch (provider) {
            case Providers.ANTHROPIC -> "ANTHROPIC_API_KEY";
            case Providers.GOOGLE -> "GOOGLE_API_KEY (or GEMINI_API_KEY)";
            default -> "OPENAI_API_KEY";
        };
    }

    private static String defaultModel(String provider) {
        return switch (provider) {
            case Providers.ANTHROPIC -> "claude-sonnet-4-5";
            case Providers.GOOGLE -> "gemini-2.5-flash";
            case Providers.OLLAMA -> "llama3.2";
            default -> "gpt-4o-mini";
        };
    }

    /** Resolves a {@code $VAR} or {@code ${VAR}} reference; other text is taken literally. */
    static String expand(String value, Map<String, String> env) {
        Matcher m = ENV_REF.matcher(value.strip());
        return m.matches() ? value(env, m.group(1)) : value;
    }

    private static boolean present(Map<String, String> env, String name) {
        return value(env, name) != null;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
