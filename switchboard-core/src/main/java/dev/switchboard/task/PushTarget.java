package dev.switchboard.task;

import java.time.Instant;

/**
 * Where a client asked to be told about a task's changes.
 *
 * @param sealedToken the client's token for its notifications, sealed (never stored in clear), or null
 * @param authScheme the HTTP authentication scheme for the {@code Authorization} header, or null
 * @param sealedCredentials the credentials for that scheme, sealed, or null
 * @param protocolVersion the A2A version the client spoke when it asked ({@code 0.3} or {@code 1.0}): notifications
 *     are sent in that version's shape
 */
public record PushTarget(String id, String taskId, String ownerId, String url, String sealedToken, String authScheme,
        String sealedCredentials, String protocolVersion, Instant createdAt) {
}
