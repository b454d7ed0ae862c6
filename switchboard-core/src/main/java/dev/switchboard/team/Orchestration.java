package dev.switchboard.team;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.TemporaryAgents;
import dev.switchboard.content.Content;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.store.Store;
import dev.switchboard.tool.ToolContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Agents handing work to agents: a run delegates a task to a named agent, spawns a temporary worker, or broadcasts
 * to several agents, and waits for the answers. Each task runs in a session of its own (owned by the same person),
 * every message between the agents goes over the {@link Bus}, and cancelling a run cancels the tasks it started.
 * Depth, number and cost of tasks are bounded per conversation run ({@link OrchestrationLimits}).
 */
public final class Orchestration {

    /** A task could not be started or did not end well; the calling agent's model hears the message. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** What one conversation run's tasks have used so far, shared by the tasks below it. */
    private static final class Budget {
        int tasks;
        double cost;
    }

    /** Where a task's session sits: how deep, and whose budget it draws on. */
    private record Lineage(int depth, Budget budget) {
    }

    /** The answer of one agent of a broadcast. */
    public record Answer(String agentId, boolean success, String text) {
    }

    private final Store store;
    private final TeamStore tasks;
    private final RunEngine engine;
    private final TemporaryAgents agents;
    private final Bus bus;
    private final OrchestrationLimits limits;
    private final Clock clock;
    /** Task sessions, while their task lasts. */
    private final Map<String, Lineage> lineages = new ConcurrentHashMap<>();
    /** Budgets of conversation runs, by the run's cancel signal: forgotten with the run. */
    private final Map<Cancellation, Budget> budgets = Collections.synchronizedMap(new WeakHashMap<>());

    public Orchestration(Store store, TeamStore tasks, RunEngine engine, TemporaryAgents agents, Bus bus,
            OrchestrationLimits limits, Clock clock) {
        this.store = store;
        this.tasks = tasks;
        this.engine = engine;
        this.agents = agents;
        this.bus = bus;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Hands {@code message} to the agent {@code agentId} in a new session and waits for its answer.
     *
     * @throws Refused when the agent is unknown or cannot run, a limit is reached, or the task failed or was
     *     cancelled
     */
    public String delegate(ToolContext caller, String agentId, String message) {
        AgentDefinition target = agents.find(agentId).filter(a -> !agents.isTemporary(a.id()))
                .orElseThrow(() -> new Refused("No agent named '" + agentId + "' (agents: " + String.join(", ",
                        agents.all().stream().map(AgentDefinition::id).toList()) + ")"));
        if (target.llm() == null) {
            throw new Refused(target.llmProblem());
        }
        return run(caller, target, message, BusMessage.DELEGATE);
    }

    /**
     * Runs a temporary worker with {@code prompt} as its system prompt and the calling agent's model, gives it
     * {@code task} and waits for its answer. The worker has no tools and is gone afterwards.
     */
    public String spawn(ToolContext caller, String prompt, String task) {
        AgentDefinition parent = agents.find(caller.agentId())
                .orElseThrow(() -> new Refused("The calling agent '" + caller.agentId() + "' is gone"));
        if (parent.llm() == null) {
            throw new Refused(parent.llmProblem());
        }
        String workerId = "worker-" + Ids.next("sub").toLowerCase(java.util.Locale.ROOT);
        AgentDefinition worker = new AgentDefinition(workerId, "Worker of " + parent.name(),
                "A temporary worker spawned by " + parent.id(), prompt, parent.llm(), null, List.of(), Map.of(),
                parent.permissions(), null, parent.workspace(), null);
        agents.add(worker);
        try {
            return run(caller, worker, task, BusMessage.SPAWN);
        } finally {
            agents.remove(workerId);
        }
    }

    /**
     * Sends {@code message} to each of {@code agentIds} (every other usable agent when empty) at once and waits for
     * all answers; an agent that fails answers with its error.
     */
    public List<Answer> broadcast(ToolContext caller, String message, List<String> agentIds) {
        List<AgentDefinition> targets = new ArrayList<>();
        if (agentIds.isEmpty()) {
            agents.all().stream().filter(a -> !a.id().equals(caller.agentId()) && a.llm() != null)
                    .forEach(targets::add);
        } else {
            for (String id : agentIds) {
                targets.add(agents.find(id).filter(a -> !agents.isTemporary(a.id()))
                        .orElseThrow(() -> new Refused("No agent named '" + id + "'")));
            }
        }
        if (targets.isEmpty()) {
            throw new Refused("There is no other agent to broadcast to");
        }
        List<Answer> answers = new ArrayList<>();
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> running = new ArrayList<>();
            for (AgentDefinition target : targets) {
                running.add(parallel.submit(() -> {
                    if (target.llm() == null) {
                        throw new Refused(target.llmProblem());
                    }
                    return run(caller, target, message, BusMessage.BROADCAST);
                }));
            }
            for (int i = 0; i < targets.size(); i++) {
                try {
                    answers.add(new Answer(targets.get(i).id(), true, running.get(i).get()));
                } catch (java.util.concurrent.ExecutionException e) {
                    answers.add(new Answer(targets.get(i).id(), false, e.getCause().getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Refused("Interrupted while waiting for the answers");
                }
            }
        }
        return answers;
    }

    /** Starts the task within the limits, waits for it, and records both messages and the task. */
    private String run(ToolContext caller, AgentDefinition target, String message, String kind) {
        Lineage parent = caller.sessionId() == null ? null : lineages.get(caller.sessionId());
        int depth = parent == null ? 1 : parent.depth() + 1;
        if (depth > limits.maxDepth()) {
            throw new Refused("Delegation depth limit reached (" + limits.maxDepth() + " levels); answer yourself");
        }
        Budget budget = parent != null ? parent.budget()
                : budgets.computeIfAbsent(caller.cancellation(), c -> new Budget());
        synchronized (budget) {
            if (budget.tasks >= limits.maxTasks()) {
                throw new Refused("Task limit reached: this conversation's run has started " + limits.maxTasks()
                        + " tasks already");
            }
            if (budget.cost >= limits.maxCostUsd()) {
                throw new Refused("Cost limit reached: this run's tasks have spent $" + String.format(
                        java.util.Locale.ROOT, "%.4f", budget.cost) + " of $" + limits.maxCostUsd());
            }
            budget.tasks++;
        }
        String owner = caller.ownerId();
        Session session = store.createSession(Ids.next("ses"), owner, target.id(), clock.instant());
        store.updateTitle(owner, session.id(), clip("Task from " + caller.agentId() + ": " + message));
        String taskId = Ids.next("task");
        tasks.createTask(new SubagentTask(taskId, owner, kind, caller.agentId(), caller.sessionId(), caller.runId(),
                target.id(), session.id(), message, depth, SubagentTask.RUNNING, null, null, null, clock.instant(),
                null));
        bus.send(new BusMessage(0, Ids.next("bus"), owner, caller.agentId(), target.id(), kind, message, taskId,
                session.id(), clock.instant()));
        lineages.put(session.id(), new Lineage(depth, budget));
        RunOutcome outcome;
        try {
            Submission submission = engine.submit(session, Content.text(message), "default",
                    Map.of("taskId", taskId, "delegatedBy", caller.agentId()));
            // registered once the task is queued: a parent cancelled even a moment earlier still cancels it at once
            try (AutoCloseable cascade = caller.cancellation().onCancel(() -> engine.cancel(session.id(), true))) {
                outcome = submission.await();
            }
        } catch (SwitchboardException e) {
            boolean cancelled = caller.cancellation().isCancelled();
            finish(taskId, owner, target, caller, session, cancelled ? SubagentTask.CANCELLED : SubagentTask.FAILED,
                    null, e.getMessage(), null);
            throw new Refused((cancelled ? "Cancelled: " : "The task failed: ") + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.cancel(session.id(), true);
            finish(taskId, owner, target, caller, session, SubagentTask.CANCELLED, null, "interrupted", null);
            throw new Refused("Cancelled while waiting for " + target.id());
        } catch (Exception e) {
            finish(taskId, owner, target, caller, session, SubagentTask.FAILED, null, e.toString(), null);
            throw new Refused("The task failed: " + e);
        } finally {
            lineages.remove(session.id());
        }
        if (outcome.estimatedCost() != null) {
            synchronized (budget) {
                budget.cost += outcome.estimatedCost();
            }
        }
        if (outcome.status() == RunStatus.COMPLETED) {
            String text = outcome.text() == null ? "" : outcome.text();
            finish(taskId, owner, target, caller, session, SubagentTask.COMPLETED, text, null, outcome.estimatedCost());
            return text;
        }
        boolean cancelled = outcome.status() == RunStatus.CANCELLED;
        String error = cancelled ? "cancelled" : outcome.error() == null ? outcome.finishReason()
                : outcome.error().message();
        finish(taskId, owner, target, caller, session, cancelled ? SubagentTask.CANCELLED : SubagentTask.FAILED,
                null, error, outcome.estimatedCost());
        throw new Refused((cancelled ? "Cancelled: " : "The task failed: ") + error);
    }

    /** Records the end of the task and puts the worker's answer (or its failure) on the bus. */
    private void finish(String taskId, String owner, AgentDefinition target, ToolContext caller, Session session,
            String status, String result, String error, Double cost) {
        tasks.finishTask(taskId, status, result, error, cost, clock.instant());
        String content = result != null ? result : "[" + status + "] " + error;
        bus.send(new BusMessage(0, Ids.next("bus"), owner, target.id(), caller.agentId(), BusMessage.REPLY, content,
                taskId, session.id(), clock.instant()));
    }

    /** The owner's last {@code limit} tasks, newest first. */
    public List<SubagentTask> tasks(String ownerId, int limit) {
        return tasks.tasks(ownerId, limit);
    }

    private static String clip(String title) {
        String line = title.replaceAll("\\s+", " ").strip();
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
