package dev.switchboard.hook;

import dev.switchboard.schedule.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the scheduler's recurring jobs in step with the hooks that have a {@code schedule} trigger: one job per
 * enabled hook, keyed {@code hook:<id>}, ticking on the hook's cron in UTC, so that each tick fires the hook on
 * exactly one node. A change made through this node re-plans at once; one made through another node is picked up
 * by the periodic re-reading (every node must know a job to run its ticks).
 */
public final class ScheduledHooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledHooks.class);
    private static final String PREFIX = "hook:";

    private final Hooks hooks;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Duration resync;
    /** The cron each registered job was planned with, by key. */
    private final Map<String, String> planned = new HashMap<>();
    private volatile Thread resyncer;

    public ScheduledHooks(Hooks hooks, Scheduler scheduler, Clock clock, Duration resync) {
        this.hooks = hooks;
        this.scheduler = scheduler;
        this.clock = clock;
        this.resync = resync;
    }

    /** Plans every scheduled hook now, after every change, and again at each re-reading. */
    public ScheduledHooks start() {
        sync();
        hooks.onChange(this::sync);
        resyncer = Thread.ofVirtual().name("scheduled-hooks").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(resync);
                    sync();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Could not re-plan the scheduled hooks: {}", e.toString());
                }
            }
        });
        return this;
    }

    /** Registers the jobs of new or changed scheduled hooks and cancels those of hooks gone or disabled. */
    synchronized void sync() {
        Map<String, String> wanted = new HashMap<>();
        for (Hooks.Scheduled hook : hooks.scheduled()) {
            if (hook.enabled() && hook.cron() != null) {
                wanted.put(PREFIX + hook.hookId(), hook.cron());
            }
        }
        for (Map.Entry<String, String> job : wanted.entrySet()) {
            if (!job.getValue().equals(planned.get(job.getKey()))) {
                String hookId = job.getKey().substring(PREFIX.length());
                scheduler.recurring(job.getKey(), job.getValue(), ZoneOffset.UTC, () -> hooks.fire(hookId,
                        Map.of("event", "schedule", "hookId", hookId, "firedAt", clock.instant().toString())));
                planned.put(job.getKey(), job.getValue());
            }
        }
        for (String key : Map.copyOf(planned).keySet()) {
            if (!wanted.containsKey(key)) {
                scheduler.cancel(key);
                planned.remove(key);
            }
        }
    }

    @Override
    public void close() {
        Thread thread = resyncer;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
