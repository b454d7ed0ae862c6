package dev.switchboard.llm.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffDoublesAndIsCapped() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(500));
        assertThat(policy.delay(0, null)).isBetween(Duration.ofMillis(500), Duration.ofMillis(551));
        assertThat(policy.delay(1, null)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1101));
        assertThat(policy.delay(10, null)).isBetween(Duration.ofSeconds(8), Duration.ofMillis(8801));
    }

    @Test
    void retryAfterWinsButIsCapped() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(500));
        assertThat(policy.delay(0, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.delay(0, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertThat(RetryPolicy.parseRetryAfter("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryPolicy.parseRetryAfter("0.5")).isEqualTo(Duration.ofMillis(500));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(RetryPolicy.parseRetryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(RetryPolicy.parseRetryAfter("soon")).isNull();
        assertThat(RetryPolicy.parseRetryAfter(null)).isNull();
    }

    @Test
    void onlyRateLimitsAndServerFaultsAreRetried() {
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(500)).isTrue();
        assertThat(RetryPolicy.retryable(529)).isTrue();
        assertThat(RetryPolicy.retryable(400)).isFalse();
        assertThat(RetryPolicy.retryable(401)).isFalse();
        assertThat(RetryPolicy.retryable(403)).isFalse();
        assertThat(RetryPolicy.retryable(404)).isFalse();
    }
}
