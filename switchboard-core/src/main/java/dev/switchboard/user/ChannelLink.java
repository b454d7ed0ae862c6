package dev.switchboard.user;

import java.time.Instant;

/** A user's identity on an outside channel (a chat app's user id, say), linked by redeeming a link code. */
public record ChannelLink(String userId, String channel, String externalId, Instant linkedAt) {
}
