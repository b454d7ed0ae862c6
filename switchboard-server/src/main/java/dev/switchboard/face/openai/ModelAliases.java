package dev.switchboard.face.openai;

import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.failure.NotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names an OpenAI client may put in {@code model}, each meaning an agent: {@code agent:<id>}, the agent id
 * itself, and the name of a model an agent is configured with (meaning the default agent when it uses that model,
 * else the first agent by id that does). An agent id wins over a model of the same name.
 */
final class ModelAliases {

    static final String AGENT_PREFIX = "agent:";

    /** One entry of {@code /v1/models}: {@code ownedBy} is the provider for a model, {@code switchboard} for an agent. */
    record Alias(String id, String ownedBy, String agentId) {
    }

    private final AgentCatalog agents;

    ModelAliases(AgentCatalog agents) {
        this.agents = agents;
    }

    /** Every agent as {@code agent:<id>}, then every configured model once, in a stable order. */
    List<Alias> listed() {
        List<Alias> listed = new ArrayList<>();
        for (AgentDefinition agent : sortedAgents()) {
            listed.add(new Alias(AGENT_PREFIX + agent.id(), "switchboard", agent.id()));
        }
        listed.addAll(models().values());
        return listed;
    }

    /** The models the agents are configured with for one provider; empty when no agent uses it. */
    List<Alias> ofProvider(String provider) {
        return models().values().stream().filter(alias -> alias.ownedBy().equals(provider)).toList();
    }

    /**
     * The agent the name means.
     *
     * @throws NotFoundException (kind {@code model}) when it means none
     */
    AgentDefinition resolve(String model) {
        return find(model).orElseThrow(() -> new NotFoundException("The model '" + model + "' does not exist; "
                + "GET /v1/models lists the names this server accepts", Map.of("kind", "model", "id", model)));
    }

    Optional<AgentDefinition> find(String model) {
        String id = model.startsWith(AGENT_PREFIX) ? model.substring(AGENT_PREFIX.length()) : model;
        Optional<AgentDefinition> agent = agents.find(id);
        if (agent.isPresent() || model.startsWith(AGENT_PREFIX)) {
            return agent;
        }
        Alias alias = models().get(model);
        return alias == null ? Optional.empty() : agents.find(alias.agentId());
    }

    /** Model name to the agent it means: the default agent first, then the others by id. */
    private Map<String, Alias> models() {
        Map<String, Alias> models = new LinkedHashMap<>();
        List<AgentDefinition> ordered = new ArrayList<>();
        agents.find(agents.defaultAgentId()).ifPresent(ordered::add);
        sortedAgents().stream().filter(a -> !a.id().equals(agents.defaultAgentId())).forEach(ordered::add);
        for (AgentDefinition agent : ordered) {
            if (agent.llm() == null || agent.llm().model() == null || agents.find(agent.llm().model()).isPresent()) {
                continue;
            }
            models.putIfAbsent(agent.llm().model(),
                    new Alias(agent.llm().model(), agent.llm().provider(), agent.id()));
        }
        return models;
    }

    private List<AgentDefinition> sortedAgents() {
        return agents.all().stream().sorted(Comparator.comparing(AgentDefinition::id)).toList();
    }
}
