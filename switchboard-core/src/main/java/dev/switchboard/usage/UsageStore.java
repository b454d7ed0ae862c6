package dev.switchboard.usage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The usage ledger and the budgets. */
public interface UsageStore {

    void record(UsageEntry entry);

    /** US dollars spent by the owner's calls (or the agent's, whichever is non-null) since {@code since} (null: ever). */
    double spent(Budget.Scope scope, String subjectId, Instant since);

    List<UsageRow> report(UsageQuery query);

    List<Budget> budgets();

    Optional<Budget> budget(Budget.Scope scope, String subjectId);

    void saveBudget(Budget budget);

    boolean deleteBudget(Budget.Scope scope, String subjectId);
}
