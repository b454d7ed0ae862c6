package dev.switchboard.face.api;

import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import io.javalin.http.Context;

/** The agent a request is about: {@code ?agentId=} (or a body field), the default agent when none is named. */
public final class AgentParam {

    private AgentParam() {
    }

    /** The agent named by the {@code agentId} query parameter; an unknown one is 404. */
    public static AgentDefinition fromQuery(Context ctx, AgentCatalog agents) {
        String id = ctx.queryParam("agentId");
        if (id == null) {
            return defaultAgent(agents);
        }
        return agents.find(id).orElseThrow(() -> new NotFoundException("agent", id));
    }

    /** The agent named by a body field; an unknown one is a 400 naming the field. */
    public static AgentDefinition fromBody(Body body, AgentCatalog agents) {
        String id = body.optionalString("agentId");
        if (id == null) {
            return defaultAgent(agents);
        }
        return agents.find(id).orElseThrow(() -> new InvalidInputException("agentId", "No agent named '" + id + "'"));
    }

    public static AgentDefinition defaultAgent(AgentCatalog agents) {
        String id = agents.defaultAgentId();
        return agents.find(id).orElseThrow(() -> new NotFoundException("agent", id));
    }
}
