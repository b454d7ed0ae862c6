package dev.switchboard.usage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A spending limit in US dollars on one user's or one agent's model calls over a period.
 *
 * @param subjectId a user id or an agent id
 */
public record Budget(Scope scope, String subjectId, double limitUsd, Period period, Instant updatedAt) {

    /** Whose calls a budget limits. */
    public enum Scope {
        USER, AGENT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The window a budget's spending is summed over; periods start at UTC midnight. */
    public enum Period {
        DAY, MONTH, TOTAL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** When the current period began, or null for all time. */
        public Instant start(Instant now) {
            ZonedDateTime today = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
            return switch (this) {
                case DAY -> today.toInstant();
                case MONTH -> today.withDayOfMonth(1).toInstant();
                case TOTAL -> null;
            };
        }
    }
}
