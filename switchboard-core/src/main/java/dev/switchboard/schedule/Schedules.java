package dev.switchboard.schedule;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.content.Content;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOptions;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules: validated, stored, planned on the persistent timer, and run as ordinary runs in sessions they own.
 * Every face (loops, scheduled tasks, schedules) goes through here.
 */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

    public static final int MAX_NAME = 120;
    public static final int MAX_PROMPT = 20_000;
    public static final int MAX_ITERATIONS = 100;
    /** How many missed ticks are counted one by one before the count gives up and jumps to the next one. */
    private static final int MAX_COUNTED_TICKS = 100_000;

    /** What a new schedule says; null fields take their defaults (default agent, UTC, enabled, new sessions). */
    public record Draft(String agentId, String name, String prompt, Timing timing, String zone, Boolean enabled,
            Boolean runOnStartup, Boolean sameSession, Integer maxIterations) {
    }

    /**
     * A partial update: null fields keep their stored value.
     *
     * @param clearMaxIterations true to drop the cap on iterations (the agent's own limit applies again)
     */
    public record Change(String agentId, String name, String prompt, Timing timing, String zone, Boolean enabled,
            Boolean runOnStartup, Boolean sameSession, Integer maxIterations, boolean clearMaxIterations) {
    }

    private final ScheduleStore store;
    private final Sessions sessions;
    private final RunEngine engine;
    private final AgentCatalog agents;
    private final CronRules cron;
    private final ScheduleTimer timer;
    private final Clock clock;
    private final List<Consumer<ScheduledRun>> finished = new CopyOnWriteArrayList<>();

    public Schedules(ScheduleStore store, Sessions sessions, RunEngine engine, AgentCatalog agents, CronRules cron,
            ScheduleTimer timer, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.engine = engine;
        this.agents = agents;
        this.cron = cron;
        this.timer = timer;
        this.clock = clock;
    }

    /** Adds a listener told of every scheduled run that ended on this node (notifications come from here). */
    public void onScheduledRunFinished(Consumer<ScheduledRun> listener) {
        finished.add(Objects.requireNonNull(listener));
    }

    public Schedule create(String ownerId, Draft draft) {
        Instant now = clock.instant();
        String prompt = prompt(draft.prompt());
        String agentId = agent(draft.agentId());
        Timing timing = timing(draft.timing());
        ZoneId zone = zone(draft.zone());
        boolean enabled = draft.enabled() == null || draft.enabled();
        String id = Ids.next("sch");
        Schedule schedule = new Schedule(id, ownerId, agentId, name(draft.name(), prompt), prompt, timing, zone,
                enabled, Boolean.TRUE.equals(draft.runOnStartup()), Boolean.TRUE.equals(draft.sameSession()),
                maxIterations(draft.maxIterations()), now, now, null,
                enabled ? timing.next(now, zone, cron) : null, null, 0);
        store.add(schedule);
        if (schedule.nextRunAt() != null) {
            timer.plan(id, schedule.nextRunAt());
        }
        return schedule;
    }

    public Schedule get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("schedule", id));
    }

    /** The owner's schedules, of one agent when {@code agentId} is not null. */
    public List<Schedule> list(String ownerId, String agentId) {
        return store.list(ownerId, agentId);
    }

    public Schedule update(String ownerId, String id, Change change) {
        Schedule old = get(ownerId, id);
        Timing timing = change.timing() == null ? old.timing() : timing(change.timing());
        ZoneId zone = change.zone() == null ? old.zone() : zone(change.zone());
        boolean enabled = change.enabled() == null ? old.enabled() : change.enabled();
        boolean replan = !timing.equals(old.timing()) || !zone.equals(old.zone()) || enabled != old.enabled();
        Instant now = clock.instant();
        Instant next = !replan ? old.nextRunAt() : enabled ? timing.next(now, zone, cron) : null;
        Schedule updated = new Schedule(id, ownerId,
                change.agentId() == null ? old.agentId() : agent(change.agentId()),
                change.name() == null ? old.name() : name(change.name(), null),
                change.prompt() == null ? old.prompt() : prompt(change.prompt()),
                timing, zone, enabled,
                change.runOnStartup() == null ? old.runOnStartup() : change.runOnStartup(),
                change.sameSession() == null ? old.sameSession() : change.sameSession(),
                change.clearMaxIterations() ? null
                        : change.maxIterations() == null ? old.maxIterations() : maxIterations(change.maxIterations()),
                old.createdAt(), now, old.lastRunAt(), next, old.lastResult(), old.runCount());
        if (!store.update(updated)) {
            throw new NotFoundException("schedule", id);
        }
        if (replan) {
            store.recordNext(id, next);
            if (next == null) {
                timer.unplan(id);
            } else {
                timer.plan(id, next);
            }
        }
        return updated;
    }

    /** Turns the schedule on or off; off keeps it stored but plans no firing. */
    public Schedule setEnabled(String ownerId, String id, boolean enabled) {
        return update(ownerId, id, new Change(null, null, null, null, null, enabled, null, null, null, false));
    }

    public void delete(String ownerId, String id) {
        get(ownerId, id);
        timer.unplan(id);
        if (!store.delete(ownerId, id)) {
            throw new NotFoundException("schedule", id);
        }
    }

    /**
     * Fires the schedule now (enabled or not), on whichever node takes it first; it runs in the background.
     *
     * @throws ConflictException while a run of the schedule is in progress
     */
    public Schedule runNow(String ownerId, String id) {
        Schedule schedule = get(ownerId, id);
        agent(schedule.agentId());
        if (timer.isFiring(id) || !timer.fireNow(id)) {
            throw new ConflictException("Schedule '" + id + "' is running; wait for its run to end",
                    Map.of("scheduleId", id));
        }
        return schedule;
    }

    /** The ids of the schedules whose run is in progress, on any node. */
    public java.util.Set<String> running() {
        return timer.firing();
    }

    /** Whether a run of the schedule is in progress on any node. */
    public boolean isRunning(String id) {
        return timer.isFiring(id);
    }

    /**
     * After the timer started: plans a firing for every enabled schedule that lost its own, and fires those that
     * run on start-up. Runs missed while the server was down are not made up one by one: the overdue firing runs
     * once, and the next one is the next tick after that run.
     */
    public void started() {
        for (Schedule schedule : store.enabled()) {
            Instant next = schedule.nextRunAt() != null ? schedule.nextRunAt()
                    : schedule.timing().next(clock.instant(), schedule.zone(), cron);
            if (next != null) {
                timer.planIfAbsent(schedule.id(), next);
            }
            if (schedule.runOnStartup() && !timer.isFiring(schedule.id())) {
                timer.fireNow(schedule.id());
            }
        }
    }

    /**
     * Runs the schedule once, as an ordinary run in its session, and returns its next firing: the first tick after
     * now. Called by the timer on exactly one node per firing, never twice at once for one schedule.
     */
    public Instant fire(String id, Instant plannedAt) {
        Optional<Schedule> found = store.find(id);
        if (found.isEmpty()) {
            return null;
        }
        Schedule schedule = found.get();
        ScheduleResult ran = run(schedule);
        Schedule latest = store.find(id).orElse(null);
        if (latest == null) {
            return null;
        }
        Instant now = clock.instant();
        Instant next = null;
        int skipped = 0;
        if (latest.enabled()) {
            boolean sameTiming = latest.timing().equals(schedule.timing()) && latest.zone().equals(schedule.zone());
            Instant tick = sameTiming ? plannedAt : now;
            int counted = 0;
            while (tick != null && !tick.isAfter(now)) {
                tick = latest.timing().next(tick, latest.zone(), cron);
                if (tick != null && !tick.isAfter(now)) {
                    skipped++;
                }
                if (++counted > MAX_COUNTED_TICKS) {
                    tick = latest.timing().next(now, latest.zone(), cron);
                    break;
                }
            }
            next = tick;
        }
        if (skipped > 0) {
            LOG.info("Schedule {} skipped {} tick(s) that came while its run was due or running", id, skipped);
        }
        ScheduleResult result = new ScheduleResult(ran.status(), ran.sessionId(), ran.runId(), ran.text(),
                ran.error(), now, skipped);
        store.recordRun(id, result, true, next);
        ScheduledRun event = new ScheduledRun(id, schedule.name(), schedule.ownerId(), schedule.agentId(),
                result.sessionId(), result);
        for (Consumer<ScheduledRun> listener : finished) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A listener of scheduled runs failed: {}", e.toString());
            }
        }
        return next;
    }

    private ScheduleResult run(Schedule schedule) {
        String sessionId = null;
        try {
            Session session = schedule.sameSession()
                    ? sessions.getOrCreate(schedule.ownerId(), schedule.ownSessionId(), schedule.agentId())
                    : sessions.create(schedule.ownerId(), null, schedule.agentId());
            sessionId = session.id();
            if (session.title() == null) {
                // the mark clients tell a schedule's session by
                sessions.rename(schedule.ownerId(), session.id(), title(schedule));
            }
            RunOptions options = schedule.maxIterations() == null ? RunOptions.NONE
                    : new RunOptions(null, List.of(), null, null, null, schedule.maxIterations());
            RunOutcome outcome = engine.submit(session, Content.text(schedule.prompt()), "default",
                    Map.of("scheduleId", schedule.id()), options).await();
            return new ScheduleResult(outcome.status().wireName(), session.id(), outcome.runId(), outcome.text(),
                    outcome.error() == null ? null : outcome.error().message(), clock.instant(), 0);
        } catch (SwitchboardException e) {
            return new ScheduleResult("failed", sessionId, null, null, e.getMessage(), clock.instant(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ScheduleResult("cancelled", sessionId, null, null, "The server stopped during the run",
                    clock.instant(), 0);
        }
    }

    static String title(Schedule schedule) {
        String title = "Schedule: " + schedule.name();
        return title.length() <= Sessions.MAX_TITLE ? title : title.substring(0, Sessions.MAX_TITLE);
    }

    private String agent(String agentId) {
        String id = agentId == null ? agents.defaultAgentId() : agentId;
        if (agents.find(id).isEmpty()) {
            throw new InvalidInputException("agentId", "No agent named '" + id + "'");
        }
        return id;
    }

    private Timing timing(Timing timing) {
        if (timing == null) {
            throw new InvalidInputException("schedule", "is required: a cron expression, an interval in minutes, "
                    + "daily times or weekly days and times");
        }
        if (timing instanceof Timing.Cron c) {
            cron.check(c.expression(), "cron");
        }
        return timing;
    }

    static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new InvalidInputException("timezone", "'" + zone + "' is not a time zone (use an IANA name such "
                    + "as Europe/Paris, or UTC)");
        }
    }

    private static String name(String name, String prompt) {
        if (name == null || name.isBlank()) {
            if (prompt == null || prompt.isBlank()) {
                throw new InvalidInputException("name", "must not be empty");
            }
            String oneLine = prompt.replaceAll("\\s+", " ").strip();
            return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60);
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be at most " + MAX_NAME + " characters");
        }
        return name.strip();
    }

    private static String prompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidInputException("prompt", "is required: the message the agent runs on each firing");
        }
        if (prompt.length() > MAX_PROMPT) {
            throw new InvalidInputException("prompt", "must be at most " + MAX_PROMPT + " characters");
        }
        return prompt;
    }

    private static Integer maxIterations(Integer maxIterations) {
        if (maxIterations != null && (maxIterations < 1 || maxIterations > MAX_ITERATIONS)) {
            throw new InvalidInputException("maxIterations", "must be from 1 to " + MAX_ITERATIONS);
        }
        return maxIterations;
    }
}
