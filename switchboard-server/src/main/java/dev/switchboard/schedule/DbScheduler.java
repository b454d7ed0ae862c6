package dev.switchboard.schedule;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.SchedulerClient.ScheduleOptions;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.switchboard.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer of schedules and recurring jobs on db-scheduler: planned executions live in the store's database
 * (table {@code scheduled_tasks}), every node polls it, and each due execution is taken by exactly one node, which
 * plans the next one when its run ends. One execution per schedule or job, so neither ever overlaps itself.
 */
public final class DbScheduler implements ScheduleTimer, Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DbScheduler.class);
    private static final String SCHEDULE_TASK = "schedule";
    private static final String JOB_TASK = "recurring-job";

    /** A recurring job registered on this node. */
    private record Job(String cron, ZoneId zone, Runnable run) {
        String data() {
            return cron + "\t" + zone.getId();
        }
    }

    private final CronRules cron;
    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final CustomTask<Void> scheduleTask;
    private final CustomTask<String> jobTask;
    private final com.github.kagkarlsson.scheduler.Scheduler scheduler;
    private volatile Firing firing;

    /**
     * @param pollInterval how often this node looks for due executions: the lateness of a firing at worst
     */
    public DbScheduler(DataSource dataSource, Clock clock, Duration pollInterval, CronRules cron) {
        this.cron = cron;
        this.clock = clock;
        this.scheduleTask = Tasks.custom(SCHEDULE_TASK, Void.class).execute((instance, context) -> {
            Instant next = firing.fire(instance.getId(), context.getExecution().getExecutionTime());
            return next == null ? removed() : (complete, operations) -> operations.reschedule(complete, next);
        });
        this.jobTask = Tasks.custom(JOB_TASK, String.class).execute((instance, context) -> {
            String key = instance.getId();
            Job job = jobs.get(key);
            if (job == null) {
                LOG.warn("No recurring job '{}' is registered on this node; its tick passes without a run", key);
                job = stored(instance.getData());
            } else {
                try {
                    job.run().run();
                } catch (RuntimeException e) {
                    LOG.warn("Recurring job '{}' failed: {}", key, e.toString());
                }
            }
            Job ran = job;
            Instant next = cron.next(ran.cron(), ran.zone(), clock.instant());
            return next == null ? removed()
                    : (complete, operations) -> operations.reschedule(complete, next, ran.data());
        });
        this.scheduler = com.github.kagkarlsson.scheduler.Scheduler.create(dataSource, scheduleTask, jobTask)
                .pollingInterval(pollInterval)
                .clock(clock::instant)
                .schedulerName(new SchedulerName.Fixed(Ids.next("node")))
                .threads(16)
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(3))
                .build();
    }

    /** Starts polling; due schedules are handed to {@code firing}. */
    public void start(Firing firing) {
        this.firing = firing;
        scheduler.start();
    }

    // ---- schedules

    @Override
    public void plan(String scheduleId, Instant at) {
        try {
            scheduler.schedule(scheduleTask.instance(scheduleId), at, ScheduleOptions.WHEN_EXISTS_RESCHEDULE);
        } catch (TaskInstanceCurrentlyExecutingException running) {
            // the run's end plans the next firing from the stored schedule
        }
    }

    @Override
    public void planIfAbsent(String scheduleId, Instant at) {
        scheduler.scheduleIfNotExists(scheduleTask.instance(scheduleId), at);
    }

    @Override
    public void unplan(String scheduleId) {
        cancel(TaskInstanceId.of(SCHEDULE_TASK, scheduleId));
    }

    @Override
    public boolean isFiring(String scheduleId) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(SCHEDULE_TASK, scheduleId))
                .map(ScheduledExecution::isPicked)
                .orElse(false);
    }

    @Override
    public Set<String> firing() {
        Set<String> ids = new HashSet<>();
        scheduler.fetchScheduledExecutionsForTask(SCHEDULE_TASK, Void.class,
                ScheduledExecutionsFilter.all().withPicked(true),
                execution -> ids.add(execution.getTaskInstance().getId()));
        return ids;
    }

    @Override
    public boolean fireNow(String scheduleId) {
        Instant now = clock.instant();
        try {
            Optional<ScheduledExecution<Object>> planned =
                    scheduler.getScheduledExecution(TaskInstanceId.of(SCHEDULE_TASK, scheduleId));
            boolean moved = planned.isPresent()
                    ? !planned.get().isPicked() && scheduler.reschedule(planned.get().getTaskInstance(), now)
                    : scheduler.schedule(scheduleTask.instance(scheduleId), now,
                            ScheduleOptions.WHEN_EXISTS_DO_NOTHING);
            if (moved) {
                scheduler.triggerCheckForDueExecutions();
            }
            return moved;
        } catch (TaskInstanceCurrentlyExecutingException | TaskInstanceNotFoundException raced) {
            return false;
        }
    }

    // ---- recurring jobs by key

    @Override
    public void recurring(String key, String cronExpression, ZoneId zone, Runnable run) {
        cron.check(cronExpression, "cron");
        Job job = new Job(cronExpression.strip(), zone, run);
        jobs.put(key, job);
        TaskInstanceId id = TaskInstanceId.of(JOB_TASK, key);
        Optional<ScheduledExecution<Object>> planned = scheduler.getScheduledExecution(id);
        if (planned.isPresent() && job.data().equals(String.valueOf(planned.get().getData()))) {
            // another node (or an earlier start) planned it already: keep its due time, an overdue tick included
            return;
        }
        Instant next = cron.next(job.cron(), zone, clock.instant());
        if (next == null) {
            cancel(key);
            return;
        }
        try {
            scheduler.schedule(jobTask.instance(key, job.data()), next, ScheduleOptions.WHEN_EXISTS_RESCHEDULE);
        } catch (TaskInstanceCurrentlyExecutingException running) {
            // the running tick's end plans the next one with the new cron
        }
    }

    @Override
    public void cancel(String key) {
        jobs.remove(key);
        cancel(TaskInstanceId.of(JOB_TASK, key));
    }

    private void cancel(TaskInstanceId id) {
        try {
            scheduler.cancel(id);
        } catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException gone) {
            // nothing planned, or the run's end finds its schedule gone and plans nothing
        }
    }

    private static Job stored(String data) {
        String[] parts = data.split("\t", 2);
        return new Job(parts[0], ZoneId.of(parts[1]), () -> { });
    }

    private static <T> CompletionHandler<T> removed() {
        return (complete, operations) -> operations.remove();
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
