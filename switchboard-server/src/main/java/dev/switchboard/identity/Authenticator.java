package dev.switchboard.identity;

import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.server.ApiKey;
import dev.switchboard.user.Principal;
import java.util.Optional;

/**
 * Turns a presented credential into a {@link Principal}: the operator's API key, a signed access token, or a
 * personal access token. Each kind is recognised by its form, and checked only against its own kind.
 */
public final class Authenticator {

    private final ApiKey apiKey;
    private final AccessTokens accessTokens;
    private final Accounts accounts;
    private final PersonalTokens personalTokens;

    public Authenticator(ApiKey apiKey, AccessTokens accessTokens, Accounts accounts, PersonalTokens personalTokens) {
        this.apiKey = apiKey;
        this.accessTokens = accessTokens;
        this.accounts = accounts;
        this.personalTokens = personalTokens;
    }

    /** The caller behind {@code presented}; throws 401 when it is not a valid credential now. */
    public Principal authenticate(String presented) {
        Optional<Principal> principal;
        if (PersonalTokens.looksLikeToken(presented)) {
            principal = personalTokens.authenticate(presented);
        } else if (AccessTokens.looksLikeJwt(presented)) {
            principal = accessTokens.verify(presented).flatMap(accounts::principalOf);
        } else {
            principal = apiKey.matches(presented) ? Optional.of(Principal.OPERATOR) : Optional.empty();
        }
        return principal.orElseThrow(() -> new UnauthorizedException(
                "The credential is not valid: it is wrong, expired or revoked"));
    }

    /** The session id inside an access token, for signing out; null for other credentials. */
    public String sessionOf(String presented) {
        return AccessTokens.looksLikeJwt(presented)
                ? accessTokens.verify(presented).map(AccessTokens.Claims::sessionId).orElse(null) : null;
    }
}
