package dev.switchboard.user;

import java.time.Instant;

/**
 * A secret that works once: a WebSocket ticket, a channel link code, a TOTP backup code or the setup token.
 * Only its hash is stored.
 *
 * @param kind what it is for, one of the constants
 * @param userId whose it is; null for a channel link code or the setup token
 * @param payload what redeeming it yields (for a link code: {@code channel} and external id)
 */
public record OneTimeCode(String kind, String codeHash, String userId, String payload, Instant createdAt,
        Instant expiresAt) {

    public static final String WS_TICKET = "ws-ticket";
    public static final String LINK = "link";
    public static final String BACKUP = "totp-backup";
    public static final String SETUP = "setup";
}
