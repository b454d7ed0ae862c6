package dev.switchboard.webhook;

import java.time.Instant;

/**
 * One event on its way to one webhook; stored before the first attempt so that a restart does not lose it.
 *
 * @param body the exact JSON text that is signed and sent
 * @param nextAttemptAt when the next attempt is due (or, while an attempt runs, when its claim lapses)
 */
public record WebhookDelivery(String id, String webhookId, String ownerId, String event, String body,
        Status status, int attempts, Instant nextAttemptAt, Integer lastStatusCode, String lastError,
        Instant createdAt, Instant updatedAt) {

    /** Where a delivery stands. */
    public enum Status {
        PENDING, DELIVERED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
