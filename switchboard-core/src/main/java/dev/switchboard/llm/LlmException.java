package dev.switchboard.llm;

/**
 * A model call failed.
 *
 * @see #recoverable()
 */
public final class LlmException extends RuntimeException {

    private final boolean recoverable;
    private final int statusCode;

    public LlmException(String message, boolean recoverable, int statusCode, Throwable cause) {
        super(message, cause);
        this.recoverable = recoverable;
        this.statusCode = statusCode;
    }

    /** Whether sending the same message again later may succeed (rate limits, outages), as opposed to bad keys. */
    public boolean recoverable() {
        return recoverable;
    }

    /** The provider's HTTP status, or 0 when no response came. */
    public int statusCode() {
        return statusCode;
    }
}
