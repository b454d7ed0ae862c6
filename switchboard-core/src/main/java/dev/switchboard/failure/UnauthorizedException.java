package dev.switchboard.failure;

import java.util.Map;

/** The caller has not proved who it is: no credentials, or ones that are wrong, expired or revoked. */
public final class UnauthorizedException extends SwitchboardException {

    public UnauthorizedException(String message) {
        super("unauthorized", message, Map.of());
    }

    public UnauthorizedException(String code, String message, Map<String, Object> details) {
        super(code, message, details);
    }
}
