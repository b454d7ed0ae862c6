package dev.switchboard.mcp.sdk;

import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.vault.SecretReferences;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** Builds the SDK transport a declaration asks for, after checking that it can work. */
final class Transports {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final SecretReferences secrets;

    /**
     * @param env the server's environment: where {@code $VAR} references look
     * @param secrets where {@code $VAULT:name} references are read, once for each connection attempt
     */
    Transports(Map<String, String> env, SecretReferences secrets) {
        this.env = Map.copyOf(env);
        this.secrets = secrets;
    }

    /** A transport, and what completes when it knows its server went away (a stdio process exits). */
    record Connector(McpClientTransport transport, CompletableFuture<String> ended) {
    }

    static Duration timeout(McpServerDeclaration declaration) {
        return declaration.timeoutMs() > 0 ? Duration.ofMillis(declaration.timeoutMs()) : DEFAULT_TIMEOUT;
    }

    /**
     * Checks what can be checked before connecting: the type, a stdio command that exists, a usable URL, that every
     * referenced variable is set and that vault references are well formed (they are read only when connecting).
     *
     * @throws InvalidInputException naming the field at fault ({@code config.command}, {@code config.url}, ...)
     */
    void check(McpServerDeclaration declaration) {
        switch (type(declaration)) {
            case "stdio" -> {
                Map<String, String> childEnv = childEnv(declaration, UNREAD);
                String command = declaration.command();
                if (!commandExists(command, childEnv.getOrDefault("PATH", ""))) {
                    throw new InvalidInputException("config.command", "Command '" + command
                            + "' was not found (neither on the PATH nor as a path to an executable file)");
                }
            }
            case "sse", "http" -> {
                endpoint(declaration.url());
                headers(declaration, UNREAD);
            }
            default -> throw new IllegalStateException("type() only returns known types");
        }
    }

    /**
     * Builds a transport for one connection attempt of agent {@code agentId}'s server; call {@link #check} first for
     * clear errors. Vault references are read here, as the agent using the server ({@code mcp__<server>}).
     */
    Connector create(String agentId, String server, McpServerDeclaration declaration) {
        check(declaration);
        Duration timeout = timeout(declaration);
        VaultLookup vault = (name, field) -> {
            try {
                return secrets.read(name, new SecretReferences.Use(agentId, "mcp__" + server, null,
                        "mcp." + field.substring("config.".length())));
            } catch (SwitchboardException e) {
                throw new InvalidInputException(field, "$VAULT:" + name + " in " + field + " cannot be used: "
                        + e.getMessage());
            }
        };
        return switch (type(declaration)) {
            case "stdio" -> {
                ServerParameters parameters = ServerParameters.builder(declaration.command())
                        .args(declaration.args() == null ? List.of() : declaration.args())
                        .env(childEnv(declaration, vault))
                        .build();
                WatchedStdioTransport transport = new WatchedStdioTransport(server, parameters);
                yield new Connector(transport, transport.exited());
            }
            case "sse" -> {
                URI url = endpoint(declaration.url());
                yield watched(HttpClientSseClientTransport.builder(origin(url))
                        .sseEndpoint(pathAndQuery(url, "/sse"))
                        .jsonMapper(Json.MCP)
                        .connectTimeout(timeout)
                        .httpRequestCustomizer(headerSetter(headers(declaration, vault)))
                        .build());
            }
            case "http" -> {
                URI url = endpoint(declaration.url());
                yield watched(HttpClientStreamableHttpTransport.builder(origin(url))
                        .endpoint(pathAndQuery(url, "/mcp"))
                        .jsonMapper(Json.MCP)
                        .connectTimeout(timeout)
                        .httpRequestCustomizer(headerSetter(headers(declaration, vault)))
                        .build());
            }
            default -> throw new IllegalStateException("type() only returns known types");
        };
    }

    private static Connector watched(McpClientTransport transport) {
        WatchedHttpTransport watched = new WatchedHttpTransport(transport);
        return new Connector(watched, watched.failed());
    }

    private static String type(McpServerDeclaration declaration) {
        String type = declaration.type();
        if (type == null || !List.of("stdio", "sse", "http").contains(type)) {
            throw new InvalidInputException("config.type", "MCP server type must be stdio, sse or http, not '"
                    + type + "'");
        }
        if (type.equals("stdio") && (declaration.command() == null || declaration.command().isBlank())) {
            throw new InvalidInputException("config.command", "A stdio MCP server needs a command");
        }
        return type;
    }

    /**
     * Variables a stdio server inherits from this process: what programs need to run (where commands are, whose
     * home, which locale), never the server's own secrets such as provider keys or {@code SWITCHBOARD_*}.
     */
    static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG",
            "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "SYSTEMROOT", "PATHEXT", "COMSPEC");

    /** Reads a vault reference met in {@code field}. */
    @FunctionalInterface
    private interface VaultLookup {
        String read(String name, String field);
    }

    /** For checks: a vault reference is only parsed, never read. */
    private static final VaultLookup UNREAD = (name, field) -> "";

    /** The inherited variables, then the declared ones with their references resolved. */
    private Map<String, String> childEnv(McpServerDeclaration declaration, VaultLookup vault) {
        Map<String, String> childEnv = new LinkedHashMap<>();
        Map<String, String> own = System.getenv();
        for (String name : INHERITED) {
            if (own.get(name) != null) {
                childEnv.put(name, own.get(name));
            }
        }
        if (declaration.env() != null) {
            declaration.env().forEach((name, value) ->
                    childEnv.put(name, resolve(value, "config.env." + name, vault)));
        }
        return childEnv;
    }

    private Map<String, String> headers(McpServerDeclaration declaration, VaultLookup vault) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (declaration.headers() != null) {
            declaration.headers().forEach((name, value) ->
                    headers.put(name, resolve(value, "config.headers." + name, vault)));
        }
        return headers;
    }

    private String resolve(String value, String field, VaultLookup vault) {
        UnaryOperator<String> byName = name -> vault.read(name, field);
        return EnvReferences.resolve(value, env, field, byName);
    }

    private static McpSyncHttpClientRequestCustomizer headerSetter(Map<String, String> headers) {
        return (request, method, uri, body, context) -> headers.forEach(request::setHeader);
    }

    static boolean commandExists(String command, String path) {
        if (command.contains("/") || command.contains(File.separator)) {
            return isExecutable(Path.of(command));
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty() && isExecutable(Path.of(folder, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    private static URI endpoint(String url) {
        try {
            URI uri = URI.create(url == null ? "" : url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            // the URL is not repeated: it may carry a key, and this message reaches logs and API answers
            String why = e.getCause() instanceof java.net.URISyntaxException syntax
                    ? syntax.getReason() + " at character " + syntax.getIndex() : e.getMessage();
            throw new InvalidInputException("config.url", "The MCP server URL is not usable: " + why);
        }
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static String pathAndQuery(URI url, String defaultPath) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? defaultPath : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
