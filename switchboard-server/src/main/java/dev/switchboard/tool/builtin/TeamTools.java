package dev.switchboard.tool.builtin;

import dev.switchboard.team.Orchestration;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code delegate}, {@code spawn_subagent} and {@code broadcast}: an agent hands work to other agents and waits for
 * their answers (see {@link Orchestration}). They count as reading tools: they only talk to agents, whose own tools
 * stay under their own permissions.
 */
public final class TeamTools {

    private TeamTools() {
    }

    /** @param orchestration supplied late: tools are listed before the run engine exists */
    public static List<Tool> all(Supplier<Orchestration> orchestration) {
        return List.of(new Delegate(orchestration), new Spawn(orchestration), new Broadcast(orchestration));
    }

    /** {@code delegate}: one task to one named agent. */
    static final class Delegate extends BuiltInTool {

        private final Supplier<Orchestration> orchestration;

        Delegate(Supplier<Orchestration> orchestration) {
            super("delegate", ToolRisk.READS, """
                    Hands a task to another agent of this server by its id and waits for its answer. Give the agent \
                    everything it needs in the message: it does not see this conversation.""", """
                    {"type":"object","properties":{\
                    "agent":{"type":"string","minLength":1,"maxLength":64,"description":"the id of the agent"},\
                    "message":{"type":"string","minLength":1,"maxLength":100000,"description":"the task"}},\
                    "required":["agent","message"],"additionalProperties":false}""");
            this.orchestration = orchestration;
        }

        @Override
        ToolOutcome run(Arguments arguments, ToolContext context) {
            try {
                return ToolOutcome.success(orchestration.get().delegate(context, arguments.requiredString("agent"),
                        arguments.requiredString("message")));
            } catch (Orchestration.Refused e) {
                throw new ToolFailure(e.getMessage());
            }
        }
    }

    /** {@code spawn_subagent}: a temporary worker with its own instructions. */
    static final class Spawn extends BuiltInTool {

        private final Supplier<Orchestration> orchestration;

        Spawn(Supplier<Orchestration> orchestration) {
            super("spawn_subagent", ToolRisk.READS, """
                    Starts a temporary worker that uses your model with the instructions you give it (no tools, no \
                    access to this conversation), hands it a task and waits for its answer. The worker is gone \
                    afterwards.""", """
                    {"type":"object","properties":{\
                    "prompt":{"type":"string","minLength":1,"maxLength":20000,"description":"the worker's instructions"},\
                    "task":{"type":"string","minLength":1,"maxLength":100000,"description":"what it should do"}},\
                    "required":["prompt","task"],"additionalProperties":false}""");
            this.orchestration = orchestration;
        }

        @Override
        ToolOutcome run(Arguments arguments, ToolContext context) {
            try {
                return ToolOutcome.success(orchestration.get().spawn(context, arguments.requiredString("prompt"),
                        arguments.requiredString("task")));
            } catch (Orchestration.Refused e) {
                throw new ToolFailure(e.getMessage());
            }
        }
    }

    /** {@code broadcast}: one message to several agents at once. */
    static final class Broadcast extends BuiltInTool {

        private final Supplier<Orchestration> orchestration;

        Broadcast(Supplier<Orchestration> orchestration) {
            super("broadcast", ToolRisk.READS, """
                    Sends one message to several agents at once and waits for all their answers. Without agents, \
                    it goes to every other agent that can run.""", """
                    {"type":"object","properties":{\
                    "message":{"type":"string","minLength":1,"maxLength":100000},\
                    "agents":{"type":"array","maxItems":32,"items":{"type":"string","minLength":1,"maxLength":64}}},\
                    "required":["message"],"additionalProperties":false}""");
            this.orchestration = orchestration;
        }

        @Override
        ToolOutcome run(Arguments arguments, ToolContext context) {
            List<String> agents = new ArrayList<>();
            if (arguments.get("agents") != null) {
                arguments.get("agents").forEach(a -> agents.add(a.asText()));
            }
            try {
                StringBuilder answers = new StringBuilder();
                for (Orchestration.Answer answer : orchestration.get().broadcast(context,
                        arguments.requiredString("message"), agents)) {
                    answers.append("## ").append(answer.agentId()).append(answer.success() ? "" : " (failed)")
                            .append("\n").append(answer.text()).append("\n\n");
                }
                return ToolOutcome.success(answers.toString().strip());
            } catch (Orchestration.Refused e) {
                throw new ToolFailure(e.getMessage());
            }
        }
    }
}
