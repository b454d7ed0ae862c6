package dev.switchboard.webhook;

import java.time.Instant;
import java.util.List;

/**
 * An outside endpoint that receives an owner's run events.
 *
 * @param events the event names it wants ({@code *} for all); empty means {@link #DEFAULT_EVENTS}
 * @param sealedSecret the HMAC secret sealed under the server's key, or null when deliveries go unsigned
 */
public record Webhook(String id, String ownerId, String url, String description, List<String> events,
        String sealedSecret, Instant createdAt) {

    /** The run-level events a webhook without a filter receives (streamed chunks are left out unless named). */
    public static final List<String> DEFAULT_EVENTS = List.of("run:started", "run:complete", "llm:response",
            "llm:error", "llm:tool-call", "llm:tool-result", "approval:request", "approval:response");

    public Webhook {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** Whether this webhook wants events of this name. */
    public boolean wants(String eventName) {
        List<String> wanted = events.isEmpty() ? DEFAULT_EVENTS : events;
        return wanted.contains("*") || wanted.contains(eventName);
    }
}
