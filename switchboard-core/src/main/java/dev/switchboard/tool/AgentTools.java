package dev.switchboard.tool;

import dev.switchboard.agent.AgentDefinition;
import java.util.List;
import java.util.Optional;

/** The tools an agent has now: its built-in tools and those of its connected MCP servers. */
public interface AgentTools {

    List<Tool> of(AgentDefinition agent);

    /**
     * Why the agent cannot run now (a {@code strict} MCP server failed), after waiting for its servers to connect;
     * empty when it can.
     */
    default Optional<String> unavailable(AgentDefinition agent) {
        return Optional.empty();
    }
}
