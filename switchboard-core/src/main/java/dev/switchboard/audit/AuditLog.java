package dev.switchboard.audit;

import java.time.Instant;
import java.util.List;

/** The append-only record of authentication events, admin actions and secret reads. */
public interface AuditLog {

    /** Appends the event, giving it an id and the current time where it has none. */
    void record(AuditEvent event);

    /**
     * Events, newest first, filtered by whichever criteria are not null.
     *
     * @param typePrefix {@code auth.} matches every authentication event
     */
    List<AuditEvent> list(String typePrefix, String actorId, Instant since, Instant until, int limit, int offset);
}
