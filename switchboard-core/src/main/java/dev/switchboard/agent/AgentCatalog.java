package dev.switchboard.agent;

import java.util.List;
import java.util.Optional;

/** The agents this server runs. */
public interface AgentCatalog {

    Optional<AgentDefinition> find(String agentId);

    List<AgentDefinition> all();

    /** The agent used when a request names none. */
    String defaultAgentId();
}
