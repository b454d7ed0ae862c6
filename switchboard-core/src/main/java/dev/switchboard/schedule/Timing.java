package dev.switchboard.schedule;

import dev.switchboard.failure.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.TreeSet;

/** When a schedule fires: a cron expression, every N minutes, at times of each day, or on days of the week. */
public sealed interface Timing {

    /** The longest interval: one year of minutes. */
    int MAX_INTERVAL_MINUTES = 525_600;
    int MAX_TIMES = 48;

    /** {@code cron}, {@code interval}, {@code daily} or {@code weekly}. */
    String kind();

    /** The first firing strictly after {@code after}, read in {@code zone}; null when there is none. */
    Instant next(Instant after, ZoneId zone, CronRules cron);

    /** A cron expression of five fields (minute hour day-of-month month day-of-week). */
    record Cron(String expression) implements Timing {
        public Cron {
            if (expression == null || expression.isBlank()) {
                throw new InvalidInputException("cron", "is required: a cron expression such as '0 9 * * 1-5'");
            }
            expression = expression.strip();
        }

        @Override
        public String kind() {
            return "cron";
        }

        @Override
        public Instant next(Instant after, ZoneId zone, CronRules cron) {
            return cron.next(expression, zone, after);
        }
    }

    /** Every {@code minutes} minutes, counted from the previous firing. */
    record Interval(int minutes) implements Timing {
        public Interval {
            if (minutes < 1 || minutes > MAX_INTERVAL_MINUTES) {
                throw new InvalidInputException("intervalMinutes", "must be a whole number of minutes from 1 to "
                        + MAX_INTERVAL_MINUTES + " (got " + minutes + ")");
            }
        }

        @Override
        public String kind() {
            return "interval";
        }

        @Override
        public Instant next(Instant after, ZoneId zone, CronRules cron) {
            return after.plusSeconds(60L * minutes);
        }
    }

    /** At each of {@code times} every day. */
    record Daily(List<LocalTime> times) implements Timing {
        public Daily {
            times = sortedTimes(times);
        }

        @Override
        public String kind() {
            return "daily";
        }

        @Override
        public Instant next(Instant after, ZoneId zone, CronRules cron) {
            return nextOn(after, zone, times, null);
        }
    }

    /** At each of {@code times} on each of {@code days}. */
    record Weekly(List<DayOfWeek> days, List<LocalTime> times) implements Timing {
        public Weekly {
            if (days == null || days.isEmpty()) {
                throw new InvalidInputException("days", "needs at least one day of the week");
            }
            days = List.copyOf(new TreeSet<>(days));
            times = sortedTimes(times);
        }

        @Override
        public String kind() {
            return "weekly";
        }

        @Override
        public Instant next(Instant after, ZoneId zone, CronRules cron) {
            return nextOn(after, zone, times, days);
        }
    }

    private static List<LocalTime> sortedTimes(List<LocalTime> times) {
        if (times == null || times.isEmpty()) {
            throw new InvalidInputException("times", "needs at least one time of day (HH:mm)");
        }
        if (times.size() > MAX_TIMES) {
            throw new InvalidInputException("times", "at most " + MAX_TIMES + " times of day");
        }
        return List.copyOf(new TreeSet<>(times.stream().map(t -> t.withSecond(0).withNano(0)).toList()));
    }

    /** The first of {@code times} after {@code after} on a day in {@code days} (any day when null). */
    private static Instant nextOn(Instant after, ZoneId zone, List<LocalTime> times, List<DayOfWeek> days) {
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i < 8; i++, day = day.plusDays(1)) {
            if (days != null && !days.contains(day.getDayOfWeek())) {
                continue;
            }
            for (LocalTime time : times) {
                // a time skipped by a daylight-saving jump fires at the shifted instant, once
                Instant at = ZonedDateTime.of(day, time, zone).toInstant();
                if (at.isAfter(after)) {
                    return at;
                }
            }
        }
        return null;
    }
}
