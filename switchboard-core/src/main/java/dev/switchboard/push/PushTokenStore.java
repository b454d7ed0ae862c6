package dev.switchboard.push;

import java.util.Collection;
import java.util.List;

/** Where users' push tokens and their badge counts are kept. */
public interface PushTokenStore {

    /**
     * Stores the token for its owner. A token already registered (by this owner or another: a device that signs in
     * as someone else) is moved to this owner with the new platform and name, keeping one row per device.
     *
     * @return the stored token (with the id of the existing row when there was one)
     */
    PushToken register(PushToken token);

    /** Removes the owner's token; false when the owner had no such token. */
    boolean unregister(String ownerId, String token);

    /** The owner's tokens, oldest first. */
    List<PushToken> list(String ownerId);

    /** Removes these tokens whoever owns them (the push endpoint said they are no longer valid); how many. */
    int removeTokens(Collection<String> tokens);

    /** The owner's badge count: approvals waiting since the badge was last cleared. */
    int badge(String ownerId);

    /** Adds one to the owner's badge and returns the new count. */
    int incrementBadge(String ownerId, java.time.Instant at);

    void clearBadge(String ownerId, java.time.Instant at);
}
