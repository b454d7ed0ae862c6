package dev.switchboard.agent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured agents plus the temporary workers runs spawn: a worker can be found (and run) while its task
 * lasts, but is never listed.
 */
public final class TemporaryAgents implements AgentCatalog {

    private final AgentCatalog configured;
    private final Map<String, AgentDefinition> temporary = new ConcurrentHashMap<>();

    public TemporaryAgents(AgentCatalog configured) {
        this.configured = configured;
    }

    /** Makes the worker findable until {@link #remove}. */
    public void add(AgentDefinition worker) {
        temporary.put(worker.id(), worker);
    }

    public void remove(String workerId) {
        temporary.remove(workerId);
    }

    /** Whether the id names a temporary worker rather than a configured agent. */
    public boolean isTemporary(String agentId) {
        return temporary.containsKey(agentId);
    }

    @Override
    public Optional<AgentDefinition> find(String agentId) {
        AgentDefinition worker = temporary.get(agentId);
        return worker != null ? Optional.of(worker) : configured.find(agentId);
    }

    @Override
    public List<AgentDefinition> all() {
        return configured.all();
    }

    @Override
    public String defaultAgentId() {
        return configured.defaultAgentId();
    }
}
