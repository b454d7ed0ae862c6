package dev.switchboard.identity;

import dev.switchboard.user.User;

/** What signing in yields: a short-lived access token, the refresh token that renews it, and who signed in. */
public record IssuedSession(String accessToken, String refreshToken, long expiresIn, User user) {

    public static final String TOKEN_TYPE = "Bearer";
}
