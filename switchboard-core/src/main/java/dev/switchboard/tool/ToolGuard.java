package dev.switchboard.tool;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.approval.ToolPolicy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every tool call goes through before and while it runs, wherever it comes from (a run, Switchboard's own
 * MCP endpoint): its arguments against the tool's schema, then the agent's permissions; and a run that turns
 * whatever the tool does wrong into a failed outcome.
 */
public final class ToolGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ToolGuard.class);

    /** What happens to a call: it runs, it is refused (with the outcome the caller is told), or a person decides. */
    public sealed interface Verdict {
        /** The call may run. */
        record Run() implements Verdict {
        }

        /** The call must not run; {@code outcome} says why. */
        record Refuse(ToolOutcome outcome) implements Verdict {
        }

        /** A person must approve the call first. */
        record Ask() implements Verdict {
        }
    }

    private final ArgumentCheck argumentCheck;
    private final ApprovalGate approvals;

    public ToolGuard(ArgumentCheck argumentCheck, ApprovalGate approvals) {
        this.argumentCheck = argumentCheck;
        this.approvals = approvals;
    }

    /**
     * Checks the call's arguments, then the agent's permissions for it.
     *
     * @param name the tool's name as the agent sees it, which its permissions name
     */
    public Verdict vet(String ownerId, AgentDefinition agent, Tool tool, String name, String arguments) {
        return vet(ownerId, agent, tool, name, name, arguments);
    }

    /**
     * The same, for a call that named the tool otherwise ({@code <agent>__<tool>} on Switchboard's MCP endpoint).
     *
     * @param calledAs the name the caller used, for the messages it gets back
     */
    public Verdict vet(String ownerId, AgentDefinition agent, Tool tool, String name, String calledAs,
            String arguments) {
        List<String> problems = argumentCheck.problems(tool.spec().parametersSchema(), arguments);
        if (!problems.isEmpty()) {
            return new Verdict.Refuse(ToolOutcome.failure("Invalid arguments for '" + calledAs + "': "
                    + String.join("; ", problems)));
        }
        return permits(ownerId, agent, tool, name);
    }

    /**
     * The agent's permissions (and an administrator's overrides) for a call whose arguments were checked already.
     *
     * @param name the tool's name as the agent sees it, which its permissions name
     */
    public Verdict permits(String ownerId, AgentDefinition agent, Tool tool, String name) {
        ToolPolicy.Ruling ruling = ToolPolicy.decide(agent.permissions(), tool.risk(), name,
                approvals.override(agent.id(), name), () -> approvals.remembered(ownerId, agent.id(), name));
        return switch (ruling.verdict()) {
            case ALLOW -> new Verdict.Run();
            case DENY -> new Verdict.Refuse(ToolOutcome.failure("Not allowed: " + ruling.reason()));
            case ASK -> new Verdict.Ask();
        };
    }

    /** Runs the tool; an exception or a missing outcome becomes a failed outcome the caller can pass on. */
    public static ToolOutcome run(Tool tool, String arguments, ToolContext context) {
        try {
            ToolOutcome outcome = tool.execute(arguments, context);
            return outcome == null ? ToolOutcome.failure("The tool returned nothing") : outcome;
        } catch (RuntimeException e) {
            LOG.warn("Tool {} of agent {} failed", tool.spec().name(), context.agentId(), e);
            return ToolOutcome.failure(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
