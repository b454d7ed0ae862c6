package dev.switchboard.usage;

import java.util.Optional;

/** What the run engine asks before each model call and tells after it: may this run spend, and what it spent. */
public interface Spending {

    /** No budgets, no ledger. */
    Spending UNLIMITED = new Spending() {
        @Override
        public Optional<String> refusal(String ownerId, String agentId) {
            return Optional.empty();
        }

        @Override
        public void spent(UsageEntry entry) {
        }
    };

    /** Why the owner or the agent may not spend more now, or empty when a model call may go ahead. */
    Optional<String> refusal(String ownerId, String agentId);

    void spent(UsageEntry entry);
}
