package dev.switchboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The home folder: {@code switchboard.yml}, {@code agents/*.yml}, {@code data/} and {@code secrets/}. Chosen by
 * {@code --home}, then {@code SWITCHBOARD_HOME}, then {@code ~/.switchboard}.
 */
public record Home(Path root) {

    public static Home resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return new Home(explicit.toAbsolutePath().normalize());
        }
        String fromEnv = env.get("SWITCHBOARD_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Home(Path.of(fromEnv).toAbsolutePath().normalize());
        }
        return new Home(Path.of(System.getProperty("user.home"), ".switchboard"));
    }

    public Path configFile() {
        return root.resolve("switchboard.yml");
    }

    public Path agentsDir() {
        return root.resolve("agents");
    }

    /** Shared skills, one folder each: {@code skills/<id>/SKILL.md}; an agent's own are in {@code agents/<id>.skills/}. */
    public Path skillsDir() {
        return root.resolve("skills");
    }

    /** Where agents' workspaces live unless their files name another folder. */
    public Path workspacesDir() {
        return root.resolve("workspaces");
    }

    /** GGUF model files for the {@code local} provider (issue 9); the folder is the local model registry. */
    public Path modelsDir() {
        return root.resolve("models");
    }

    public Path dataDir() {
        return root.resolve("data");
    }

    public Path blobsDir() {
        return dataDir().resolve("blobs");
    }

    /** The key that signs access tokens, created with mode 0600 on first start unless given in the environment. */
    public Path tokenKeyFile() {
        return dataDir().resolve("token-signing.key");
    }

    public Path apiKeyHashFile() {
        return dataDir().resolve("api-key.sha256");
    }

    /** Key material, apart from {@code data/} so that a copy of the data does not carry the key that opens it. */
    public Path secretsDir() {
        return root.resolve("secrets");
    }

    /** The vault's master key, unless {@code SWITCHBOARD_MASTER_KEY} gives it. */
    public Path masterKeyFile() {
        return secretsDir().resolve("master.key");
    }

    /** Creates the folders (owner-only where the OS allows) and the default files on first start. */
    public void initialize() {
        try {
            Files.createDirectories(agentsDir());
            Files.createDirectories(blobsDir());
            Files.createDirectories(workspacesDir());
            Files.createDirectories(modelsDir());
            restrict(root);
            restrict(dataDir());
            if (!Files.exists(configFile())) {
                Files.writeString(configFile(), DEFAULT_CONFIG);
            }
            Path defaultAgent = agentsDir().resolve("default.yml");
            try (var files = Files.list(agentsDir())) {
                if (files.noneMatch(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))) {
                    Files.writeString(defaultAgent, DEFAULT_AGENT);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the home folder " + root, e);
        }
    }

    private static void restrict(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the folder keeps the platform's default permissions
        }
    }

    static final String DEFAULT_CONFIG = """
            # Switchboard server configuration. Every key is optional.
            host: 127.0.0.1        # bind address; binding elsewhere requires the API key
            port: 3210
            # database:
            #   url: jdbc:postgresql://127.0.0.1:5432/switchboard   # default: SQLite file in data/
            #   user: switchboard
            #   password: $SWITCHBOARD_DB_PASSWORD
            limits:
              maxRequestBytes: 10485760
              eventReplayBuffer: 1000
              keepAliveSeconds: 15
            # mcpServer:             # /mcp answers loopback names and the bound host; add the others it is reached by
            #   allowedHosts: [switchboard.lan]
            #   allowedOrigins: [https://app.example.com]
            # rateLimits:              # requests per minute, beyond which a client gets 429; 0 turns a limit off
            #   perIpPerMinute: 600
            #   perCredentialPerMinute: 1200
            #   loginPerIpPerMinute: 10
            #   loginFailuresBeforeLockout: 5   # within 15 min; locks the account 15 min, doubling up to 24 h
            #   trustForwardedFor: false        # true only behind a reverse proxy that sets X-Forwarded-For
            # http:
            #   cors:                  # web pages of other origins that may call the API: none unless listed here
            #     allowedOrigins: [https://app.example.com]   # exact origins; '*' is refused
            """;

    static final String DEFAULT_AGENT = """
            # The default agent. Without an llm section the provider comes from the environment:
            # OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY / GEMINI_API_KEY or OLLAMA_BASE_URL.
            name: Default agent
            description: A general-purpose assistant
            systemPrompt: |
              You are a helpful, concise assistant.
            greeting: Hello! How can I help?
            tools:                      # built-in tools: current_time, ask_user, todo_write, read_file, list_files,
              - current_time            # search_files, write_file, edit_file, http_request, run_command
            # llm:
            #   provider: openai          # openai | openai-compatible | anthropic | google | ollama
            #   model: gpt-4o-mini
            #   apiKey: $OPENAI_API_KEY   # or $VAULT:name (a vault entry), or POST /api/llm/key
            #   maxIterations: 25
            # mcpServers:                 # MCP servers; their tools appear as mcp__<name>__<tool>
            #   files:
            #     command: npx
            #     args: ["-y", "@modelcontextprotocol/server-filesystem"]
            # permissions:                # who decides before tools that act (file writes, HTTP, MCP tools)
            #   mode: manual              # manual (ask a person) | auto-approve | auto-deny
            #   alwaysAllow: []           # tool names, * as a wildcard
            """;
}
