package dev.switchboard.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit log: who did what to what, and whether it worked.
 *
 * @param type dotted, such as {@code auth.login}, {@code admin.user.update} or {@code vault.read}
 * @param actorId the user (or {@code operator}, or an agent as {@code agent:<id>}) who acted; null if unknown
 * @param outcome {@code success}, {@code failure} or {@code denied}
 * @param details facts that help an investigation; never a secret
 */
public record AuditEvent(
        String id,
        Instant at,
        String type,
        String actorId,
        String ip,
        String targetType,
        String targetId,
        String outcome,
        Map<String, String> details) {

    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** An event without id, time or address; {@link AuditLog#record} fills in the id and time. */
    public static AuditEvent of(String type, String actorId, String targetType, String targetId, String outcome,
            Map<String, String> details) {
        return new AuditEvent(null, null, type, actorId, null, targetType, targetId, outcome, details);
    }

    public AuditEvent withIp(String address) {
        return new AuditEvent(id, at, type, actorId, address, targetType, targetId, outcome, details);
    }
}
