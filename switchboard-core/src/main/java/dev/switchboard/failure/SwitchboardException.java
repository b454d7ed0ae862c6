package dev.switchboard.failure;

import java.util.Map;

/**
 * The root of every failure Switchboard reports to a client; each subclass is one family,
 * mapped to a status code once, in the HTTP face.
 */
public abstract sealed class SwitchboardException extends RuntimeException
        permits InvalidInputException, NotFoundException, ConflictException, NotConfiguredException,
        RunFailedException, UpstreamException, ForbiddenException, UnauthorizedException {

    private final String code;
    private final Map<String, Object> details;

    protected SwitchboardException(String code, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A stable machine-readable code such as {@code invalid_input} or {@code not_found}. */
    public String code() {
        return code;
    }

    /** Extra facts for the client, for example the offending {@code field}. */
    public Map<String, Object> details() {
        return details;
    }
}
