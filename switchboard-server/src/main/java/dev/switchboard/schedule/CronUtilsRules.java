package dev.switchboard.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.switchboard.failure.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Cron expressions of five fields (minute hour day-of-month month day-of-week), read by cron-utils. */
public final class CronUtilsRules implements CronRules {

    private static final int MAX_LENGTH = 200;
    private static final int MAX_CACHED = 1000;

    private final CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private final Map<String, ExecutionTime> parsed = new ConcurrentHashMap<>();

    @Override
    public void check(String expression, String field) {
        executionTime(expression, field);
    }

    @Override
    public Instant next(String expression, ZoneId zone, Instant after) {
        return executionTime(expression, "cron").nextExecution(ZonedDateTime.ofInstant(after, zone))
                .map(ZonedDateTime::toInstant)
                .orElse(null);
    }

    private ExecutionTime executionTime(String expression, String field) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException(field, "is required: a cron expression such as '0 9 * * 1-5'");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "must be at most " + MAX_LENGTH + " characters");
        }
        ExecutionTime known = parsed.get(expression);
        if (known != null) {
            return known;
        }
        ExecutionTime time;
        try {
            Cron cron = parser.parse(expression.strip()).validate();
            time = ExecutionTime.forCron(cron);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new InvalidInputException(field, "'" + expression + "' is not a valid cron expression of five "
                    + "fields (minute hour day-of-month month day-of-week): " + e.getMessage());
        }
        if (parsed.size() < MAX_CACHED) {
            parsed.put(expression, time);
        }
        return time;
    }
}
