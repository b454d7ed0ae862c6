package dev.switchboard.store.jdbc;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.user.ApiToken;
import dev.switchboard.user.AuthSession;
import dev.switchboard.user.ChannelLink;
import dev.switchboard.user.OneTimeCode;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import dev.switchboard.user.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link UserStore} on the same database as {@link JdbcStore}. */
public final class JdbcUserStore implements UserStore {

    private static final String USER_COLUMNS = "id, username, display_name, role, disabled, password_hash, "
            + "totp_secret, totp_enabled, totp_last_step, created_at, updated_at, last_login_at";
    private static final String SESSION_COLUMNS = "id, user_id, refresh_hash, previous_hash, created_at, expires_at, "
            + "last_used_at, revoked_at, ip, user_agent";
    private static final String TOKEN_COLUMNS = "id, user_id, name, token_hash, prefix, scopes, created_at, "
            + "expires_at, last_used_at, revoked_at";

    private final JdbcStore db;

    JdbcUserStore(JdbcStore db) {
        this.db = db;
    }

    // ---- users

    @Override
    public void createUser(User user) {
        int inserted = db.write(h -> h.createUpdate("INSERT INTO users (" + USER_COLUMNS + ") VALUES (:id, :username, "
                        + ":displayName, :role, :disabled, :passwordHash, :totpSecret, :totpEnabled, :totpLastStep, "
                        + ":createdAt, :updatedAt, :lastLoginAt) ON CONFLICT (username) DO NOTHING")
                .bind("id", user.id())
                .bind("username", user.username().toLowerCase(Locale.ROOT))
                .bind("displayName", user.displayName())
                .bind("role", user.role().wireName())
                .bind("disabled", user.disabled())
                .bind("passwordHash", user.passwordHash())
                .bind("totpSecret", user.totpSecret())
                .bind("totpEnabled", user.totpEnabled())
                .bind("totpLastStep", user.totpLastStep())
                .bind("createdAt", user.createdAt().toEpochMilli())
                .bind("updatedAt", user.updatedAt().toEpochMilli())
                .bind("lastLoginAt", millisOrNull(user.lastLoginAt()))
                .execute());
        if (inserted == 0) {
            throw new ConflictException("The username '" + user.username() + "' is taken",
                    Map.of("field", "username"));
        }
    }

    @Override
    public Optional<User> findUser(String userId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = :id")
                .bind("id", userId)
                .map(JdbcUserStore::user)
                .findOne());
    }

    @Override
    public Optional<User> findUserByName(String username) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE username = :name")
                .bind("name", username.toLowerCase(Locale.ROOT))
                .map(JdbcUserStore::user)
                .findOne());
    }

    @Override
    public List<User> listUsers() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM users ORDER BY created_at, id")
                .map(JdbcUserStore::user)
                .list());
    }

    @Override
    public long countAdmins() {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled")
                .mapTo(Long.class)
                .one());
    }

    @Override
    public boolean updateUser(User user) {
        return db.write(h -> h.createUpdate("""
                        UPDATE users SET display_name = :displayName, role = :role, disabled = :disabled,
                            password_hash = :passwordHash, totp_secret = :totpSecret, totp_enabled = :totpEnabled,
                            totp_last_step = :totpLastStep, updated_at = :updatedAt, last_login_at = :lastLoginAt
                        WHERE id = :id""")
                .bind("id", user.id())
                .bind("displayName", user.displayName())
                .bind("role", user.role().wireName())
                .bind("disabled", user.disabled())
                .bind("passwordHash", user.passwordHash())
                .bind("totpSecret", user.totpSecret())
                .bind("totpEnabled", user.totpEnabled())
                .bind("totpLastStep", user.totpLastStep())
                .bind("updatedAt", user.updatedAt().toEpochMilli())
                .bind("lastLoginAt", millisOrNull(user.lastLoginAt()))
                .execute()) > 0;
    }

    @Override
    public boolean acceptTotpStep(String userId, long step) {
        return db.write(h -> h.createUpdate(
                        "UPDATE users SET totp_last_step = :step WHERE id = :id AND totp_last_step < :step")
                .bind("id", userId)
                .bind("step", step)
                .execute()) > 0;
    }

    // ---- sessions

    @Override
    public void createSession(AuthSession session) {
        db.write(h -> h.createUpdate("INSERT INTO auth_sessions (" + SESSION_COLUMNS + ") VALUES (:id, :userId, "
                        + ":refreshHash, NULL, :createdAt, :expiresAt, :createdAt, NULL, :ip, :userAgent)")
                .bind("id", session.id())
                .bind("userId", session.userId())
                .bind("refreshHash", session.refreshHash())
                .bind("createdAt", session.createdAt().toEpochMilli())
                .bind("expiresAt", session.expiresAt().toEpochMilli())
                .bind("ip", session.ip())
                .bind("userAgent", session.userAgent())
                .execute());
    }

    @Override
    public Optional<AuthSession> findSession(String sessionId) {
        return findSessionWhere("id", sessionId);
    }

    @Override
    public Optional<AuthSession> findSessionByRefreshHash(String refreshHash) {
        return findSessionWhere("refresh_hash", refreshHash);
    }

    @Override
    public Optional<AuthSession> findSessionByPreviousRefreshHash(String refreshHash) {
        return findSessionWhere("previous_hash", refreshHash);
    }

    private Optional<AuthSession> findSessionWhere(String column, String value) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + SESSION_COLUMNS + " FROM auth_sessions WHERE " + column + " = :value")
                .bind("value", value)
                .map(JdbcUserStore::session)
                .findFirst());
    }

    @Override
    public boolean rotateRefresh(String sessionId, String currentHash, String newHash, Instant expiresAt,
            Instant at) {
        return db.write(h -> h.createUpdate("""
                        UPDATE auth_sessions SET refresh_hash = :newHash, previous_hash = :currentHash,
                            expires_at = :expiresAt, last_used_at = :at
                        WHERE id = :id AND refresh_hash = :currentHash AND revoked_at IS NULL""")
                .bind("id", sessionId)
                .bind("currentHash", currentHash)
                .bind("newHash", newHash)
                .bind("expiresAt", expiresAt.toEpochMilli())
                .bind("at", at.toEpochMilli())
                .execute()) > 0;
    }

    @Override
    public void revokeSession(String sessionId, Instant at) {
        db.write(h -> h.createUpdate(
                        "UPDATE auth_sessions SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("id", sessionId)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    @Override
    public int revokeSessions(String userId, String exceptSessionId, Instant at) {
        return db.write(h -> h.createUpdate("""
                        UPDATE auth_sessions SET revoked_at = :at
                        WHERE user_id = :userId AND revoked_at IS NULL AND id <> :except""")
                .bind("userId", userId)
                .bind("except", exceptSessionId == null ? "" : exceptSessionId)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    // ---- personal access tokens

    @Override
    public void createToken(ApiToken token) {
        db.write(h -> h.createUpdate("INSERT INTO api_tokens (" + TOKEN_COLUMNS + ") VALUES (:id, :userId, :name, "
                        + ":tokenHash, :prefix, :scopes, :createdAt, :expiresAt, NULL, NULL)")
                .bind("id", token.id())
                .bind("userId", token.userId())
                .bind("name", token.name())
                .bind("tokenHash", token.tokenHash())
                .bind("prefix", token.prefix())
                .bind("scopes", String.join(" ", new TreeSet<>(token.scopes())))
                .bind("createdAt", token.createdAt().toEpochMilli())
                .bind("expiresAt", millisOrNull(token.expiresAt()))
                .execute());
    }

    @Override
    public Optional<ApiToken> findTokenByHash(String tokenHash) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map(JdbcUserStore::token)
                .findOne());
    }

    @Override
    public List<ApiToken> listTokens(String userId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM api_tokens WHERE user_id = :userId ORDER BY created_at DESC, id")
                .bind("userId", userId)
                .map(JdbcUserStore::token)
                .list());
    }

    @Override
    public boolean revokeToken(String userId, String tokenId, Instant at) {
        return db.write(h -> h.createUpdate("""
                        UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, :at)
                        WHERE id = :id AND user_id = :userId""")
                .bind("id", tokenId)
                .bind("userId", userId)
                .bind("at", at.toEpochMilli())
                .execute()) > 0;
    }

    @Override
    public void touchToken(String tokenId, Instant at) {
        db.write(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :at WHERE id = :id")
                .bind("id", tokenId)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    // ---- one-time codes

    @Override
    public void saveCode(OneTimeCode code) {
        // expired codes are useless: dropping them here keeps the table as small as the codes in use
        db.write(h -> h.createUpdate("DELETE FROM one_time_codes WHERE expires_at < :now")
                .bind("now", code.createdAt().toEpochMilli())
                .execute());
        db.write(h -> h.createUpdate("""
                        INSERT INTO one_time_codes (kind, code_hash, user_id, payload, created_at, expires_at)
                        VALUES (:kind, :hash, :userId, :payload, :createdAt, :expiresAt)""")
                .bind("kind", code.kind())
                .bind("hash", code.codeHash())
                .bind("userId", code.userId())
                .bind("payload", code.payload())
                .bind("createdAt", code.createdAt().toEpochMilli())
                .bind("expiresAt", code.expiresAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<OneTimeCode> redeemCode(String kind, String codeHash, Instant now) {
        return db.transaction(h -> {
            int used = h.createUpdate("""
                            UPDATE one_time_codes SET used_at = :now
                            WHERE kind = :kind AND code_hash = :hash AND used_at IS NULL AND expires_at > :now""")
                    .bind("kind", kind)
                    .bind("hash", codeHash)
                    .bind("now", now.toEpochMilli())
                    .execute();
            if (used == 0) {
                return Optional.<OneTimeCode>empty();
            }
            return h.createQuery("""
                            SELECT kind, code_hash, user_id, payload, created_at, expires_at FROM one_time_codes
                            WHERE kind = :kind AND code_hash = :hash""")
                    .bind("kind", kind)
                    .bind("hash", codeHash)
                    .map((rs, ctx) -> new OneTimeCode(rs.getString("kind"), rs.getString("code_hash"),
                            rs.getString("user_id"), rs.getString("payload"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            Instant.ofEpochMilli(rs.getLong("expires_at"))))
                    .findOne();
        });
    }

    @Override
    public int deleteCodes(String kind, String userId) {
        return db.write(h -> h.createUpdate("DELETE FROM one_time_codes WHERE kind = :kind"
                        + (userId == null ? "" : " AND user_id = :userId"))
                .bind("kind", kind)
                .bind("userId", userId)
                .execute());
    }

    @Override
    public int unusedCodes(String kind, String userId, Instant now) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM one_time_codes
                        WHERE kind = :kind AND user_id = :userId AND used_at IS NULL AND expires_at > :now""")
                .bind("kind", kind)
                .bind("userId", userId)
                .bind("now", now.toEpochMilli())
                .mapTo(Integer.class)
                .one());
    }

    // ---- channel links

    @Override
    public void link(ChannelLink link) {
        db.write(h -> h.createUpdate("""
                        INSERT INTO channel_links (channel, external_id, user_id, linked_at)
                        VALUES (:channel, :externalId, :userId, :at)
                        ON CONFLICT (channel, external_id) DO UPDATE SET user_id = :userId, linked_at = :at""")
                .bind("channel", link.channel())
                .bind("externalId", link.externalId())
                .bind("userId", link.userId())
                .bind("at", link.linkedAt().toEpochMilli())
                .execute());
    }

    @Override
    public List<ChannelLink> links(String userId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT user_id, channel, external_id, linked_at FROM channel_links
                        WHERE user_id = :userId ORDER BY linked_at""")
                .bind("userId", userId)
                .map((rs, ctx) -> new ChannelLink(rs.getString("user_id"), rs.getString("channel"),
                        rs.getString("external_id"), Instant.ofEpochMilli(rs.getLong("linked_at"))))
                .list());
    }

    // ---- settings

    @Override
    public Optional<String> setting(String key) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :name")
                .bind("name", key)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void putSetting(String key, String value, Instant at) {
        db.write(h -> h.createUpdate("""
                        INSERT INTO settings (name, value, updated_at) VALUES (:name, :value, :at)
                        ON CONFLICT (name) DO UPDATE SET value = :value, updated_at = :at""")
                .bind("name", key)
                .bind("value", value)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    // ---- rows

    private static User user(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(rs.getString("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)), rs.getBoolean("disabled"),
                rs.getString("password_hash"), rs.getString("totp_secret"), rs.getBoolean("totp_enabled"),
                rs.getLong("totp_last_step"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "last_login_at"));
    }

    private static AuthSession session(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AuthSession(rs.getString("id"), rs.getString("user_id"), rs.getString("refresh_hash"),
                rs.getString("previous_hash"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "last_used_at"), instant(rs, "revoked_at"), rs.getString("ip"),
                rs.getString("user_agent"));
    }

    private static ApiToken token(ResultSet rs, StatementContext ctx) throws SQLException {
        String scopes = rs.getString("scopes");
        Set<String> parsed = scopes.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(scopes.split(" ")));
        return new ApiToken(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                rs.getString("token_hash"), rs.getString("prefix"), parsed, instant(rs, "created_at"),
                instant(rs, "expires_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static Long millisOrNull(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
