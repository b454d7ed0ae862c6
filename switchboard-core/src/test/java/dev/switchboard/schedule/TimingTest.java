package dev.switchboard.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.failure.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void dailyTimesAreReadInTheScheduleZoneAcrossADaylightSavingChange() {
        Timing daily = new Timing.Daily(List.of(LocalTime.of(9, 0), LocalTime.of(7, 30)));
        // Saturday 28 March 2026, after 09:00 in Paris (UTC+1): the next is Sunday 07:30, now UTC+2
        Instant next = daily.next(Instant.parse("2026-03-28T08:30:00Z"), PARIS, null);
        assertThat(next).isEqualTo(Instant.parse("2026-03-29T05:30:00Z"));
        assertThat(daily.next(next, PARIS, null)).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
    }

    @Test
    void weeklyTimesSkipOtherDays() {
        Timing weekly = new Timing.Weekly(List.of(DayOfWeek.FRIDAY, DayOfWeek.MONDAY), List.of(LocalTime.of(18, 0)));
        // Monday 5 January 2026 at 18:00 exactly: strictly after, so Friday
        assertThat(weekly.next(Instant.parse("2026-01-05T18:00:00Z"), ZoneOffset.UTC, null))
                .isEqualTo(Instant.parse("2026-01-09T18:00:00Z"));
        assertThat(weekly.next(Instant.parse("2026-01-09T18:00:00Z"), ZoneOffset.UTC, null))
                .isEqualTo(Instant.parse("2026-01-12T18:00:00Z"));
    }

    @Test
    void intervalsCountFromThePreviousFiringAndRefuseZero() {
        assertThat(new Timing.Interval(15).next(Instant.parse("2026-01-05T08:00:00Z"), ZoneOffset.UTC, null))
                .isEqualTo(Instant.parse("2026-01-05T08:15:00Z"));
        assertThatThrownBy(() -> new Timing.Interval(0)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("intervalMinutes"));
        assertThatThrownBy(() -> new Timing.Daily(List.of())).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("times"));
        assertThatThrownBy(() -> new Timing.Weekly(List.of(), List.of(LocalTime.NOON)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("days"));
    }
}
