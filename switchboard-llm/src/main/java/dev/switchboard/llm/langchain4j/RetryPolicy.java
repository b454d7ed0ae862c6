package dev.switchboard.llm.langchain4j;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** When to try a failed provider call again: exponential backoff that yields to the provider's Retry-After. */
final class RetryPolicy {

    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private final Duration firstBackoff;

    RetryPolicy(Duration firstBackoff) {
        this.firstBackoff = firstBackoff;
    }

    /** Whether an HTTP status is worth another try: rate limits and server faults, never bad requests or keys. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The pause before retry number {@code retry} (0 for the first), honouring {@code retryAfter} when given. */
    Duration delay(int retry, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        long base = firstBackoff.toMillis() << Math.min(retry, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        // Jitter keeps many sessions that failed together from retrying in lockstep.
        long jitter = capped <= 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 10 + 1);
        return Duration.ofMillis(capped + jitter);
    }

    /** A {@code Retry-After} header as a duration: delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            double seconds = Double.parseDouble(value);
            return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(Instant.now(), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
