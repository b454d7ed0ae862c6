package dev.switchboard.face.a2a;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotConfiguredException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import java.util.Map;

/**
 * An A2A error: its JSON-RPC code, the REST status and reason that go with it, and the field at fault if any. Every
 * failure of the A2A face becomes one of these once, in {@link #of(Throwable)}.
 */
record A2aError(int code, int httpStatus, String reason, String message, String field) {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int TASK_NOT_FOUND = -32001;
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int UNSUPPORTED_OPERATION = -32004;
    static final int EXTENDED_CARD_NOT_CONFIGURED = -32007;

    /** Thrown inside the face for the failures that have no Switchboard exception of their own. */
    static final class Failure extends RuntimeException {
        final A2aError error;

        Failure(A2aError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    static Failure unsupported(String message) {
        return new Failure(new A2aError(UNSUPPORTED_OPERATION, 400, "UNSUPPORTED_OPERATION", message, null));
    }

    static Failure invalidRequest(String message) {
        return new Failure(new A2aError(INVALID_REQUEST, 400, "INVALID_REQUEST", message, null));
    }

    static Failure methodNotFound(String method) {
        return new Failure(new A2aError(METHOD_NOT_FOUND, 404, "METHOD_NOT_FOUND",
                "Method not found: " + method, "method"));
    }

    static Failure extendedCardNotConfigured() {
        return new Failure(new A2aError(EXTENDED_CARD_NOT_CONFIGURED, 400, "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
                "This agent has no extended agent card", null));
    }

    static A2aError parse(String message) {
        return new A2aError(PARSE_ERROR, 400, "PARSE_ERROR", message, "body");
    }

    /** The A2A error for a failure; unexpected ones become an internal error that says nothing of the cause. */
    static A2aError of(Throwable failure) {
        return switch (failure) {
            case Failure f -> f.error;
            case InvalidInputException e -> new A2aError(INVALID_PARAMS, 400, "INVALID_PARAMS", e.getMessage(),
                    e.field());
            case NotFoundException e when "task".equals(e.details().get("kind")) ->
                    new A2aError(TASK_NOT_FOUND, 404, "TASK_NOT_FOUND", e.getMessage(), null);
            case NotFoundException e -> new A2aError(INVALID_PARAMS, 404, "NOT_FOUND", e.getMessage(), null);
            case ConflictException e when "task_not_cancelable".equals(e.code()) ->
                    new A2aError(TASK_NOT_CANCELABLE, 409, "TASK_NOT_CANCELABLE", e.getMessage(), null);
            case ConflictException e -> new A2aError(INVALID_PARAMS, 409, "INVALID_PARAMS", e.getMessage(),
                    field(e.details()));
            case NotConfiguredException e -> new A2aError(INTERNAL_ERROR, 503, "NOT_CONFIGURED", e.getMessage(),
                    null);
            case SwitchboardException e -> new A2aError(INTERNAL_ERROR, 502, e.code().toUpperCase(java.util.Locale.ROOT), e.getMessage(),
                    null);
            default -> new A2aError(INTERNAL_ERROR, 500, "INTERNAL",
                    "The server failed unexpectedly; the error is in its log", null);
        };
    }

    private static String field(Map<String, Object> details) {
        Object field = details.get("field");
        return field == null ? null : field.toString();
    }
}
