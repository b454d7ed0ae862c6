package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * {@code switchboard.yml}: where the server listens, where it stores, and its limits.
 *
 * @param host the address to bind; loopback unless told otherwise
 * @param mcpServer who may reach the server's own MCP endpoint from where
 */
public record ServerConfig(
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("database") Database database,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("mcpServer") McpServer mcpServer) {

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
        mcpServer = mcpServer == null ? new McpServer(null, null) : mcpServer;
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, database, limits, mcpServer);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, database, limits, mcpServer);
    }

    public ServerConfig withMcpServer(McpServer newMcpServer) {
        return new ServerConfig(host, port, database, limits, newMcpServer);
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

        private static Long positive(String name, Number value, long fallback) {
            if (value == null) {
                return fallback;
            }
            if (value.longValue() <= 0) {
                throw new IllegalArgumentException(name + " must be greater than 0");
            }
            return value.longValue();
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

        private static String origin(String value) {
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
}
