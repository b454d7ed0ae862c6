package dev.switchboard.face.mcp;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.failure.ForbiddenException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses MCP requests that a web page may have sent through DNS rebinding: the {@code Host} must be a loopback
 * name, the address the server binds, or one of {@code mcpServer.allowedHosts}; an {@code Origin}, when present,
 * must be loopback, the request's own host, or one of {@code mcpServer.allowedOrigins}. Ports are not compared.
 */
final class DnsRebindingGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]");

    private final Set<String> hosts = new HashSet<>(LOOPBACK);
    private final Set<String> origins = new HashSet<>();

    DnsRebindingGuard(String bindHost, ServerConfig.McpServer config) {
        String bound = bracketed(bindHost.strip().toLowerCase(Locale.ROOT));
        if (!WILDCARDS.contains(bound)) {
            hosts.add(bound);
        }
        hosts.addAll(config.allowedHosts());
        origins.addAll(config.allowedOrigins());
    }

    /** @throws ForbiddenException when the request's {@code Host} or {@code Origin} is not allowed */
    void check(String hostHeader, String originHeader) {
        String host = hostHeader == null ? null : hostName(hostHeader);
        if (host == null || !hosts.contains(host)) {
            throw new ForbiddenException("Host '" + hostHeader + "' is not a name this server answers MCP requests "
                    + "on; add it to mcpServer.allowedHosts in switchboard.yml if it is", Map.of("header", "Host"));
        }
        if (originHeader == null) {
            return;
        }
        String origin = originHeader.strip().toLowerCase(Locale.ROOT);
        if (origins.contains(origin)) {
            return;
        }
        String originHost = originHost(origin);
        if (originHost == null || !(LOOPBACK.contains(originHost) || originHost.equals(host))) {
            throw new ForbiddenException("Origin '" + originHeader + "' may not call this server's MCP endpoint; add "
                    + "it to mcpServer.allowedOrigins in switchboard.yml if it should", Map.of("header", "Origin"));
        }
    }

    /** The host of a {@code Host} header without its port, IPv6 literals in brackets; null when malformed. */
    static String hostName(String header) {
        String value = header.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        String host = colon < 0 ? value : value.substring(0, colon);
        return host.isEmpty() ? null : host;
    }

    private static String originHost(String origin) {
        try {
            String host = new URI(origin).getHost();
            return host == null ? null : bracketed(host);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
