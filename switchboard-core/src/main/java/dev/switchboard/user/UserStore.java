package dev.switchboard.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of users and their credentials: sessions, personal access tokens, one-time codes, channel links. */
public interface UserStore {

    // ---- users

    /** Stores a new user; throws {@link dev.switchboard.failure.ConflictException} when the username is taken. */
    void createUser(User user);

    Optional<User> findUser(String userId);

    /** Looks a user up by name, ignoring case. */
    Optional<User> findUserByName(String username);

    /** Every user, oldest first. */
    List<User> listUsers();

    long countAdmins();

    /** Replaces the user's mutable fields; false when the user does not exist. */
    boolean updateUser(User user);

    /**
     * Accepts a TOTP step for the user if, and only if, it is later than the last one accepted, so a code
     * (and every earlier one) works at most once, even when two requests race.
     */
    boolean acceptTotpStep(String userId, long step);

    // ---- sessions

    void createSession(AuthSession session);

    Optional<AuthSession> findSession(String sessionId);

    Optional<AuthSession> findSessionByRefreshHash(String refreshHash);

    /** Finds the session whose refresh token was {@code refreshHash} before its last rotation. */
    Optional<AuthSession> findSessionByPreviousRefreshHash(String refreshHash);

    /** Replaces the refresh token if it is still {@code currentHash}; false when another refresh won. */
    boolean rotateRefresh(String sessionId, String currentHash, String newHash, Instant expiresAt, Instant at);

    void revokeSession(String sessionId, Instant at);

    /** Revokes every active session of the user but {@code exceptSessionId} (null: every one); returns how many. */
    int revokeSessions(String userId, String exceptSessionId, Instant at);

    // ---- personal access tokens

    void createToken(ApiToken token);

    Optional<ApiToken> findTokenByHash(String tokenHash);

    /** The user's tokens, newest first, revoked ones included. */
    List<ApiToken> listTokens(String userId);

    /** Revokes the user's token; false when the user has no such token. */
    boolean revokeToken(String userId, String tokenId, Instant at);

    void touchToken(String tokenId, Instant at);

    // ---- one-time codes

    void saveCode(OneTimeCode code);

    /** Marks the code used and returns it, if it exists, is unused and has not expired; atomically. */
    Optional<OneTimeCode> redeemCode(String kind, String codeHash, Instant now);

    /** Deletes the user's codes of one kind (every owner's when {@code userId} is null); returns how many. */
    int deleteCodes(String kind, String userId);

    /** How many of the user's codes of one kind are still unused. */
    int unusedCodes(String kind, String userId, Instant now);

    // ---- channel links

    /** Links the channel identity to the user, replacing an earlier link of the same identity. */
    void link(ChannelLink link);

    List<ChannelLink> links(String userId);

    // ---- server-wide settings

    Optional<String> setting(String key);

    void putSetting(String key, String value, Instant at);
}
