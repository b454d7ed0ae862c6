package dev.switchboard.schedule;

import java.time.Instant;
import java.time.ZoneId;

/** Reads cron expressions: checks them and finds their next firing. An adapter implements it (cron-utils). */
public interface CronRules {

    /**
     * Checks the expression.
     *
     * @throws dev.switchboard.failure.InvalidInputException naming {@code field} when it is not a valid cron
     */
    void check(String expression, String field);

    /** The first firing strictly after {@code after}, read in {@code zone}; null when it never fires again. */
    Instant next(String expression, ZoneId zone, Instant after);
}
