package dev.switchboard.context;

import java.util.Optional;

/** Where compaction summaries are kept beside their sessions (and deleted with them). */
public interface ContextSummaryStore {

    void save(ContextSummary summary);

    /** The session's newest summary. */
    Optional<ContextSummary> latest(String sessionId);
}
