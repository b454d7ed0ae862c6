package dev.switchboard.usage;

import java.time.Instant;
import java.util.Set;

/**
 * Which ledger entries a report sums and how it groups them; null filters match everything.
 *
 * @param groupBy any of {@link #GROUPS}; empty for one total row
 */
public record UsageQuery(String ownerId, String agentId, String sessionId, String model, Instant since,
        Instant until, Set<String> groupBy) {

    /** What a report can be grouped by. */
    public static final Set<String> GROUPS = Set.of("day", "model", "user", "agent", "session");

    public UsageQuery {
        groupBy = Set.copyOf(groupBy);
    }
}
