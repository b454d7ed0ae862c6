package dev.switchboard.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Enforces the users' and agents' budgets against the usage ledger, and keeps the ledger. */
public final class Budgets implements Spending {

    private final UsageStore store;
    private final Clock clock;

    public Budgets(UsageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<String> refusal(String ownerId, String agentId) {
        Optional<String> user = over(Budget.Scope.USER, ownerId);
        return user.isPresent() ? user : over(Budget.Scope.AGENT, agentId);
    }

    @Override
    public void spent(UsageEntry entry) {
        store.record(entry);
    }

    /** What the budget's subject spent in the budget's current period. */
    public double spentInPeriod(Budget budget) {
        return store.spent(budget.scope(), budget.subjectId(), budget.period().start(clock.instant()));
    }

    private Optional<String> over(Budget.Scope scope, String subjectId) {
        if (subjectId == null) {
            return Optional.empty();
        }
        return store.budget(scope, subjectId).flatMap(budget -> {
            Instant since = budget.period().start(clock.instant());
            double spent = store.spent(scope, subjectId, since);
            if (spent < budget.limitUsd()) {
                return Optional.empty();
            }
            String adjective = switch (budget.period()) {
                case DAY -> "daily";
                case MONTH -> "monthly";
                case TOTAL -> "total";
            };
            return Optional.of(String.format(Locale.ROOT, "The %s budget of %s '%s' is used up: $%.6f spent of "
                    + "$%.6f", adjective, scope.wire(), subjectId, spent, budget.limitUsd()));
        });
    }
}
