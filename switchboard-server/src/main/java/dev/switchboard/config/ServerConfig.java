package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code switchboard.yml}: where the server listens, where it stores, and its limits.
 *
 * @param host the address to bind; loopback unless told otherwise
 */
public record ServerConfig(
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("database") Database database,
        @JsonProperty("limits") Limits limits) {

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
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, database, limits);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, database, limits);
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
}
