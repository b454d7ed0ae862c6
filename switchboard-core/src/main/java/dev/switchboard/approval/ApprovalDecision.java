package dev.switchboard.approval;

import java.util.Map;

/**
 * A person's answer, or the answer given for them (a timeout, a policy, a cancelled run).
 *
 * @param formData the answer to an elicitation, or null
 * @param reason why, in words, when the request was not approved (shown to the model)
 * @param rememberChoice whether the same tool of the same agent gets this answer from now on, without asking
 */
public record ApprovalDecision(ApprovalStatus status, Map<String, Object> formData, String reason,
        boolean rememberChoice) {

    public ApprovalDecision {
        if (status == ApprovalStatus.PENDING) {
            throw new IllegalArgumentException("a decision cannot be pending");
        }
    }

    public boolean approved() {
        return status == ApprovalStatus.APPROVED;
    }

    public static ApprovalDecision approved(Map<String, Object> formData) {
        return new ApprovalDecision(ApprovalStatus.APPROVED, formData, null, false);
    }

    public static ApprovalDecision denied(String reason) {
        return new ApprovalDecision(ApprovalStatus.DENIED, null, reason, false);
    }

    public static ApprovalDecision cancelled(String reason) {
        return new ApprovalDecision(ApprovalStatus.CANCELLED, null, reason, false);
    }
}
