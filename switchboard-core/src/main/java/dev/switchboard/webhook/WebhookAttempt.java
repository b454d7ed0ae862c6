package dev.switchboard.webhook;

import java.time.Instant;

/**
 * One try to deliver: what the endpoint answered, or why there was no answer.
 *
 * @param statusCode the HTTP status, or null when no response came
 */
public record WebhookAttempt(String deliveryId, int attempt, Integer statusCode, String error, long durationMs,
        Instant at) {

    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
