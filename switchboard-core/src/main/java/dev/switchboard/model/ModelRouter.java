package dev.switchboard.model;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmSettings;
import java.util.List;

/** What the run engine asks of the model layer: which models one run calls, and how each call went. */
public interface ModelRouter {

    /** Every run calls the agent's own model, with no backup. */
    ModelRouter DIRECT = (sessionId, agent) -> List.of(agent.llm());

    /**
     * The models a run of the session calls, best first: the first is used, each next one takes over when the one
     * before it fails with a rate limit, a server error or a timeout (see {@link #failsOver(LlmException)}).
     * Never empty.
     */
    List<LlmSettings> route(String sessionId, AgentDefinition agent);

    /** A call to the model succeeded or failed; for the registry's health. */
    default void reported(LlmSettings model, LlmException failure) {
    }

    /** Whether a failure is the provider's trouble that another model may not have: 429, 5xx, timeouts. */
    static boolean failsOver(LlmException e) {
        int status = e.statusCode();
        return status == 429 || status >= 500 || (status == 0 && e.recoverable());
    }
}
