package dev.switchboard.user;

import java.util.Set;

/**
 * Who is calling, once their credentials were checked.
 *
 * @param userId the owner id of everything the caller stores and sees
 * @param via how they proved it: {@code api-key} (the operator's key), {@code session} (a signed access token),
 *     {@code token} (a personal access token) or {@code ticket} (a one-time WebSocket ticket)
 * @param scopes what a personal access token may do ({@code read}, {@code write}, {@code admin}); every scope
 *     for the other credentials
 */
public record Principal(String userId, Role role, String via, Set<String> scopes) {

    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String ADMIN_SCOPE = "admin";
    public static final Set<String> ALL_SCOPES = Set.of(READ, WRITE, ADMIN_SCOPE);

    /** The holder of the operator's API key: an administrator who owns what it stores as {@code operator}. */
    public static final Principal OPERATOR = new Principal("operator", Role.ADMIN, "api-key", ALL_SCOPES);

    public Principal {
        scopes = Set.copyOf(scopes);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN && scopes.contains(ADMIN_SCOPE);
    }

    public boolean may(String scope) {
        return scopes.contains(scope);
    }
}
