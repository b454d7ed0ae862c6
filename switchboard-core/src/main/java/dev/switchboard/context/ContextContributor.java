package dev.switchboard.context;

import java.util.Optional;

/**
 * Adds one section to the system prompt of a run: the date, memories relevant to the message, pinned memories,
 * notes, the skills index, the user profile. The run's context assembly asks every contributor and keeps what fits
 * the token budget, most important first.
 */
public interface ContextContributor {

    /** The section this contributor adds for the run, or empty when it has nothing to say. */
    Optional<ContextSection> contribute(ContextRequest request);
}
