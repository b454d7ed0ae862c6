package dev.switchboard.userprofile;

import java.time.Instant;

/**
 * One thing the server has learned about a user from their conversations.
 *
 * @param confidence how sure the model was, 0..1
 * @param contradicted a later conversation said otherwise; the fact is kept (and shown) but no longer given to agents
 * @param sourceSessionId the conversation it was learned from (null when a person wrote it)
 * @param confirmations how many later conversations confirmed it
 */
public record UserFact(String id, String ownerId, String fact, double confidence, boolean contradicted,
        String sourceSessionId, int confirmations, Instant createdAt, Instant updatedAt) {

    public UserFact withConfirmation(double newConfidence, Instant at) {
        return new UserFact(id, ownerId, fact, Math.max(confidence, newConfidence), contradicted, sourceSessionId,
                confirmations + 1, createdAt, at);
    }

    public UserFact withContradicted(boolean flag, Instant at) {
        return new UserFact(id, ownerId, fact, confidence, flag, sourceSessionId, confirmations, createdAt, at);
    }

    public UserFact corrected(String newFact, double newConfidence, boolean flag, Instant at) {
        return new UserFact(id, ownerId, newFact, newConfidence, flag, sourceSessionId, confirmations, createdAt, at);
    }
}
