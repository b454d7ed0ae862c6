package dev.switchboard.approval;

import java.time.Instant;

/**
 * A stored approval request and where it stands.
 *
 * @param decision null while pending
 * @param idempotencyKey the {@code Idempotency-Key} the answer came with, so a replayed answer gets the same reply
 */
public record Approval(ApprovalRequest request, ApprovalStatus status, ApprovalDecision decision,
        String idempotencyKey, Instant resolvedAt) {

    public String id() {
        return request.id();
    }

    public boolean pending() {
        return status == ApprovalStatus.PENDING;
    }
}
