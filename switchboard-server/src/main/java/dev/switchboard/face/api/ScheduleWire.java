package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.schedule.Schedule;
import dev.switchboard.schedule.ScheduleResult;
import dev.switchboard.schedule.Schedules;
import dev.switchboard.schedule.Timing;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one wire shape of a schedule and the reading of its fields, shared by the faces that show schedules: seed
 * 000's loops, seed 003's scheduled tasks and {@code /api/schedules}. Each face names the agent and the
 * same-session switch its own way ({@code profileId}/{@code agentId}, {@code continueInSession}/{@code sameSession}).
 */
public final class ScheduleWire {

    /** The timing fields: exactly one of {@code cron}, {@code intervalMinutes}, {@code times} (with {@code days}). */
    public static final List<String> TIMING = List.of("cron", "intervalMinutes", "times", "days", "timezone");

    private ScheduleWire() {
    }

    /**
     * The new schedule a body describes.
     *
     * @param agentField the field naming the agent ({@code agentId} or {@code profileId})
     * @param agentId the agent the path names, or null to read {@code agentField}
     * @param sessionField the field of the same-session switch
     */
    public static Schedules.Draft draft(Body body, String agentField, String agentId, String sessionField) {
        Timing timing = timing(body);
        if (timing == null) {
            throw new InvalidInputException("cron", "a schedule needs one of cron, intervalMinutes, or times "
                    + "(with days for a weekly one)");
        }
        return new Schedules.Draft(agentId != null ? agentId : body.optionalString(agentField),
                body.optionalString("name"), body.optionalString("prompt"), timing, body.optionalString("timezone"),
                bool(body, "enabled"), bool(body, "runOnStartup"), bool(body, sessionField),
                integer(body, "maxIterations"));
    }

    /** The partial update a body describes: absent fields keep their value; {@code maxIterations: null} drops it. */
    public static Schedules.Change change(Body body, String agentField, String sessionField) {
        return new Schedules.Change(body.optionalString(agentField), body.optionalString("name"),
                body.optionalString("prompt"), timing(body), body.optionalString("timezone"), bool(body, "enabled"),
                bool(body, "runOnStartup"), bool(body, sessionField), integer(body, "maxIterations"),
                body.node().has("maxIterations") && body.node().get("maxIterations").isNull());
    }

    /** Runs {@code call}, naming {@code wireField} where the core names {@code coreField} in a refusal. */
    public static <T> T naming(String coreField, String wireField, Supplier<T> call) {
        try {
            return call.get();
        } catch (InvalidInputException e) {
            if (coreField.equals(e.field()) && !coreField.equals(wireField)) {
                throw new InvalidInputException(wireField, e.getMessage());
            }
            throw e;
        }
    }

    /** The timing the body gives, or null when it gives none. */
    static Timing timing(Body body) {
        String cron = body.optionalString("cron");
        Integer minutes = integer(body, "intervalMinutes");
        List<LocalTime> times = times(body);
        List<DayOfWeek> days = days(body);
        int given = (cron != null ? 1 : 0) + (minutes != null ? 1 : 0) + (times != null ? 1 : 0);
        if (given > 1) {
            throw new InvalidInputException(cron != null ? "cron" : "intervalMinutes",
                    "give only one of cron, intervalMinutes or times");
        }
        if (days != null && times == null) {
            throw new InvalidInputException("times", "weekly schedules need the times of day beside days");
        }
        if (cron != null) {
            return new Timing.Cron(cron);
        }
        if (minutes != null) {
            return new Timing.Interval(minutes);
        }
        if (times != null) {
            return days == null ? new Timing.Daily(times) : new Timing.Weekly(days, times);
        }
        return null;
    }

    private static List<LocalTime> times(Body body) {
        JsonNode node = body.get("times");
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            node = Json.MAPPER.createArrayNode().add(node.asText());
        }
        if (!node.isArray()) {
            throw new InvalidInputException("times", "must be a list of times of day such as [\"09:00\", \"18:30\"]");
        }
        List<LocalTime> times = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode time = node.get(i);
            try {
                if (!time.isTextual()) {
                    throw new DateTimeParseException("not text", String.valueOf(time), 0);
                }
                times.add(LocalTime.parse(time.asText().strip()));
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("times[" + i + "]", "must be a time of day as HH:mm (got "
                        + time + ")");
            }
        }
        return times;
    }

    private static List<DayOfWeek> days(Body body) {
        JsonNode node = body.get("days");
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("days", "must be a list of days such as [\"monday\", \"friday\"]");
        }
        List<DayOfWeek> days = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            DayOfWeek day = day(node.get(i).asText(""));
            if (day == null || !node.get(i).isTextual()) {
                throw new InvalidInputException("days[" + i + "]", "must be a day of the week (monday..sunday, or "
                        + "mon..sun)");
            }
            days.add(day);
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            String name = day.name().toLowerCase(Locale.ROOT);
            if (lower.length() >= 3 && name.startsWith(lower)) {
                return day;
            }
        }
        return null;
    }

    static Boolean bool(Body body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field, "must be true or false");
        }
        return value.booleanValue();
    }

    static Integer integer(Body body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return value.intValue();
    }

    /**
     * The schedule on the wire, times in epoch milliseconds.
     *
     * @param agentField the name the face gives the agent ({@code agentId}, or {@code profileId} beside it)
     * @param sessionField the name the face gives the same-session switch
     */
    public static ObjectNode wire(Schedule schedule, boolean running, String agentField, String sessionField) {
        ObjectNode node = Json.object()
                .put("id", schedule.id())
                .put("name", schedule.name())
                .put("prompt", schedule.prompt())
                .put("agentId", schedule.agentId());
        if (!agentField.equals("agentId")) {
            node.put(agentField, schedule.agentId());
        }
        node.put("kind", schedule.timing().kind());
        switch (schedule.timing()) {
            case Timing.Cron c -> node.put("cron", c.expression());
            case Timing.Interval i -> node.put("intervalMinutes", i.minutes());
            case Timing.Daily d -> times(node, d.times());
            case Timing.Weekly w -> {
                times(node, w.times());
                ArrayNode days = node.putArray("days");
                w.days().forEach(day -> days.add(day.name().toLowerCase(Locale.ROOT)));
            }
        }
        node.put("timezone", schedule.zone().getId())
                .put("enabled", schedule.enabled())
                .put("runOnStartup", schedule.runOnStartup())
                .put(sessionField, schedule.sameSession());
        if (schedule.sameSession()) {
            node.put("sessionId", schedule.ownSessionId());
        }
        node.put("maxIterations", schedule.maxIterations());
        node.put("isRunning", running)
                .put("runCount", schedule.runCount())
                .put("createdAt", schedule.createdAt().toEpochMilli())
                .put("updatedAt", schedule.updatedAt().toEpochMilli());
        millis(node, "lastRunAt", schedule.lastRunAt());
        millis(node, "nextRunAt", schedule.nextRunAt());
        ScheduleResult last = schedule.lastResult();
        if (last == null) {
            node.putNull("lastResult");
        } else {
            ObjectNode result = node.putObject("lastResult")
                    .put("status", last.status())
                    .put("sessionId", last.sessionId())
                    .put("runId", last.runId())
                    .put("text", last.text())
                    .put("error", last.error())
                    .put("skippedTicks", last.skippedTicks());
            millis(result, "at", last.at());
        }
        return node;
    }

    private static void times(ObjectNode node, List<LocalTime> times) {
        ArrayNode list = node.putArray("times");
        times.forEach(t -> list.add(t.toString()));
    }

    private static void millis(ObjectNode node, String field, Instant at) {
        if (at == null) {
            node.putNull(field);
        } else {
            node.put(field, at.toEpochMilli());
        }
    }
}
