package dev.switchboard.store.jdbc;

import dev.switchboard.schedule.Schedule;
import dev.switchboard.schedule.ScheduleResult;
import dev.switchboard.schedule.ScheduleStore;
import dev.switchboard.schedule.Timing;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link ScheduleStore} on the same database as {@link JdbcStore}. */
public final class JdbcScheduleStore implements ScheduleStore {

    private static final String COLUMNS = "id, owner_id, agent_id, name, prompt, kind, cron, interval_minutes, times, "
            + "days, zone, enabled, run_on_startup, same_session, max_iterations, created_at, updated_at, "
            + "last_run_at, next_run_at, last_status, last_session_id, last_run_id, last_text, last_error, "
            + "last_skipped, run_count";

    private final JdbcStore db;

    JdbcScheduleStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(Schedule schedule) {
        db.write(h -> h.createUpdate("INSERT INTO schedules (id, owner_id, agent_id, name, prompt, kind, cron, "
                        + "interval_minutes, times, days, zone, enabled, run_on_startup, same_session, "
                        + "max_iterations, created_at, updated_at, next_run_at, run_count) VALUES (:id, :owner, "
                        + ":agent, :name, :prompt, :kind, :cron, :interval, :times, :days, :zone, :enabled, "
                        + ":runOnStartup, :sameSession, :maxIterations, :createdAt, :updatedAt, :nextRunAt, 0)")
                .bindMap(definition(schedule))
                .bind("createdAt", schedule.createdAt().toEpochMilli())
                .bind("nextRunAt", millis(schedule.nextRunAt()))
                .execute());
    }

    @Override
    public boolean update(Schedule schedule) {
        return db.write(h -> h.createUpdate("UPDATE schedules SET agent_id = :agent, name = :name, prompt = :prompt, "
                        + "kind = :kind, cron = :cron, interval_minutes = :interval, times = :times, days = :days, "
                        + "zone = :zone, enabled = :enabled, run_on_startup = :runOnStartup, "
                        + "same_session = :sameSession, max_iterations = :maxIterations, updated_at = :updatedAt "
                        + "WHERE id = :id AND owner_id = :owner")
                .bindMap(definition(schedule))
                .execute()) > 0;
    }

    @Override
    public Optional<Schedule> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM schedules WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcScheduleStore::schedule)
                .findOne());
    }

    @Override
    public Optional<Schedule> find(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM schedules WHERE id = :id")
                .bind("id", id)
                .map(JdbcScheduleStore::schedule)
                .findOne());
    }

    @Override
    public List<Schedule> list(String ownerId, String agentId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM schedules WHERE owner_id = :owner"
                        + (agentId == null ? "" : " AND agent_id = :agent") + " ORDER BY created_at, id")
                .bind("owner", ownerId)
                .bind("agent", agentId)
                .map(JdbcScheduleStore::schedule)
                .list());
    }

    @Override
    public List<Schedule> enabled() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM schedules WHERE enabled = 1 ORDER BY created_at, id")
                .map(JdbcScheduleStore::schedule)
                .list());
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM schedules WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    @Override
    public void recordRun(String id, ScheduleResult result, boolean ran, Instant nextRunAt) {
        db.write(h -> h.createUpdate("UPDATE schedules SET last_run_at = :at, next_run_at = :next, "
                        + "last_status = :status, last_session_id = :session, last_run_id = :run, last_text = :text, "
                        + "last_error = :error, last_skipped = :skipped, run_count = run_count + :ran WHERE id = :id")
                .bind("id", id)
                .bind("at", millis(result.at()))
                .bind("next", millis(nextRunAt))
                .bind("status", result.status())
                .bind("session", result.sessionId())
                .bind("run", result.runId())
                .bind("text", result.text())
                .bind("error", result.error())
                .bind("skipped", result.skippedTicks())
                .bind("ran", ran ? 1 : 0)
                .execute());
    }

    @Override
    public void recordNext(String id, Instant nextRunAt) {
        db.write(h -> h.createUpdate("UPDATE schedules SET next_run_at = :next WHERE id = :id")
                .bind("id", id)
                .bind("next", millis(nextRunAt))
                .execute());
    }

    private static Map<String, Object> definition(Schedule schedule) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", schedule.id());
        values.put("owner", schedule.ownerId());
        values.put("agent", schedule.agentId());
        values.put("name", schedule.name());
        values.put("prompt", schedule.prompt());
        values.put("kind", schedule.timing().kind());
        values.put("cron", schedule.timing() instanceof Timing.Cron c ? c.expression() : null);
        values.put("interval", schedule.timing() instanceof Timing.Interval i ? i.minutes() : null);
        values.put("times", switch (schedule.timing()) {
            case Timing.Daily d -> times(d.times());
            case Timing.Weekly w -> times(w.times());
            default -> null;
        });
        values.put("days", schedule.timing() instanceof Timing.Weekly w
                ? w.days().stream().map(DayOfWeek::name).collect(Collectors.joining(",")) : null);
        values.put("zone", schedule.zone().getId());
        values.put("enabled", schedule.enabled() ? 1 : 0);
        values.put("runOnStartup", schedule.runOnStartup() ? 1 : 0);
        values.put("sameSession", schedule.sameSession() ? 1 : 0);
        values.put("maxIterations", schedule.maxIterations());
        values.put("updatedAt", schedule.updatedAt().toEpochMilli());
        return values;
    }

    private static String times(List<LocalTime> times) {
        return times.stream().map(LocalTime::toString).collect(Collectors.joining(","));
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Timing timing(ResultSet rs) throws SQLException {
        return switch (rs.getString("kind")) {
            case "cron" -> new Timing.Cron(rs.getString("cron"));
            case "interval" -> new Timing.Interval(rs.getInt("interval_minutes"));
            case "daily" -> new Timing.Daily(parseTimes(rs.getString("times")));
            case "weekly" -> new Timing.Weekly(Arrays.stream(rs.getString("days").split(","))
                    .map(DayOfWeek::valueOf).toList(), parseTimes(rs.getString("times")));
            default -> throw new IllegalStateException("Unknown schedule kind " + rs.getString("kind"));
        };
    }

    private static List<LocalTime> parseTimes(String times) {
        return Arrays.stream(times.split(",")).map(LocalTime::parse).toList();
    }

    private static Schedule schedule(ResultSet rs, StatementContext ctx) throws SQLException {
        String status = rs.getString("last_status");
        ScheduleResult last = status == null ? null : new ScheduleResult(status, rs.getString("last_session_id"),
                rs.getString("last_run_id"), rs.getString("last_text"), rs.getString("last_error"),
                instant(rs, "last_run_at"), rs.getInt("last_skipped"));
        return new Schedule(rs.getString("id"), rs.getString("owner_id"), rs.getString("agent_id"),
                rs.getString("name"), rs.getString("prompt"), timing(rs), ZoneId.of(rs.getString("zone")),
                rs.getInt("enabled") != 0, rs.getInt("run_on_startup") != 0, rs.getInt("same_session") != 0,
                integer(rs, "max_iterations"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")), instant(rs, "last_run_at"),
                instant(rs, "next_run_at"), last, rs.getInt("run_count"));
    }
}
