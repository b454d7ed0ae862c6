package dev.switchboard.model;

import java.time.Instant;

/**
 * Which registered models serve a topic: a topic is an agent id, or {@link #DEFAULT} for every agent without a
 * route of its own. The backup takes over when the primary answers 429, a 5xx or times out.
 *
 * @param primary a registered model's name, or null to keep the agent's own model
 * @param backup a registered model's name, or null for no failover
 */
public record TopicRoute(String topic, String primary, String backup, Instant updatedAt) {

    public static final String DEFAULT = "default";
}
