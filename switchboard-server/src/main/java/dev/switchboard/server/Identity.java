package dev.switchboard.server;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.identity.AccessTokens;
import dev.switchboard.identity.Accounts;
import dev.switchboard.identity.KeyFile;
import dev.switchboard.identity.LoginThrottle;
import dev.switchboard.identity.OneTimeCodes;
import dev.switchboard.identity.Passwords;
import dev.switchboard.identity.PersonalTokens;
import dev.switchboard.identity.Sealer;
import dev.switchboard.identity.Setup;
import dev.switchboard.identity.TwoFactor;
import dev.switchboard.store.jdbc.JdbcStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The identity part of the object graph: accounts, tokens, second factors, one-time codes and setup. */
record Identity(Accounts accounts, AccessTokens accessTokens, PersonalTokens personalTokens, TwoFactor twoFactor,
        OneTimeCodes codes, Setup setup) {

    /** @param sealingKey the key TOTP secrets are sealed under (the vault's purpose key, see Vault#purposeKey) */
    static Identity create(Home home, ServerConfig.Auth config, ServerConfig.RateLimits limits, JdbcStore store,
            Map<String, String> env, Clock clock, byte[] sealingKey) {
        AccessTokens accessTokens = new AccessTokens(signingKey(home, env),
                Duration.ofMinutes(config.accessTokenMinutes()), clock);
        TwoFactor twoFactor = new TwoFactor(store.users(), new Sealer(sealingKey, "totp"), store.audit(), clock);
        LoginThrottle throttle = new LoginThrottle(
                LoginThrottle.Policy.of(limits.loginPerIpPerMinute(), limits.loginFailuresBeforeLockout()), clock,
                lockout -> store.audit().record(AuditEvent.of("auth.lockout", null, "user", null, "denied",
                        Map.of("username", lockout.username(), "seconds", String.valueOf(lockout.duration().toSeconds()),
                                "lockoutInARow", String.valueOf(lockout.lockoutInARow()))).withIp(lockout.address())));
        Accounts accounts = new Accounts(store.users(), new Passwords(), accessTokens, twoFactor, throttle,
                store.audit(), config.registrationOpen(), Duration.ofDays(config.refreshTokenDays()), clock);
        return new Identity(accounts, accessTokens, new PersonalTokens(store.users(), store.audit(), clock), twoFactor,
                new OneTimeCodes(store.users(), store.audit(), clock),
                new Setup(store.users(), accounts, store.audit(), clock));
    }

    /**
     * {@code SWITCHBOARD_TOKEN_KEY} (base64 of at least 32 bytes) when set, so that several nodes accept each
     * other's tokens; else a key file in the home.
     */
    private static byte[] signingKey(Home home, Map<String, String> env) {
        String given = env.get("SWITCHBOARD_TOKEN_KEY");
        if (given == null || given.isBlank()) {
            return KeyFile.readOrCreate(home.tokenKeyFile(), 32);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(given.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("SWITCHBOARD_TOKEN_KEY must be base64 (of at least 32 random bytes)");
        }
        if (key.length < 32) {
            throw new IllegalStateException("SWITCHBOARD_TOKEN_KEY must hold at least 32 bytes; it holds "
                    + key.length);
        }
        return key;
    }
}
