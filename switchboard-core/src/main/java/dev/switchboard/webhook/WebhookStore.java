package dev.switchboard.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where webhooks, their deliveries and every attempt are kept. */
public interface WebhookStore {

    void add(Webhook webhook);

    Optional<Webhook> find(String ownerId, String id);

    List<Webhook> list(String ownerId);

    /** Every owner's webhooks. */
    List<Webhook> all();

    /** Deletes the webhook with its deliveries and attempts; false when the owner has none of that id. */
    boolean delete(String ownerId, String id);

    void addDelivery(WebhookDelivery delivery);

    /** Pending deliveries due at {@code now}, oldest first. */
    List<WebhookDelivery> due(Instant now, int limit);

    /**
     * Takes a due delivery for one attempt: moves its {@code nextAttemptAt} from {@code seen} to {@code leaseUntil}.
     * False when another worker (or node) took it first.
     */
    boolean claim(String deliveryId, Instant seen, Instant leaseUntil);

    /** Records an attempt and the delivery's new state in one transaction. */
    void recordAttempt(WebhookAttempt attempt, WebhookDelivery.Status status, Instant nextAttemptAt, Instant now);

    /** The webhook's deliveries, newest first. */
    List<WebhookDelivery> deliveries(String webhookId, int limit);

    /** The attempts of these deliveries, in order. */
    List<WebhookAttempt> attempts(List<String> deliveryIds);
}
