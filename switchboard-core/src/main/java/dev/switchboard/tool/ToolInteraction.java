package dev.switchboard.tool;

import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.event.EventPayload;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.session.Message;
import java.util.List;
import java.util.Map;

/** What a running tool may ask of the run it serves: a person's answer, an event, or a model call. */
public interface ToolInteraction {

    /**
     * Asks the person behind the session for information (an elicitation) and waits for the answer, a refusal or
     * the timeout.
     *
     * @param requestedSchema the JSON Schema of the form to fill (as parsed JSON), or null for a free answer
     * @param metadata extra facts shown with the question, such as the MCP server asking
     */
    ApprovalDecision elicit(String message, Map<String, Object> requestedSchema, Map<String, Object> metadata);

    /** Publishes an event of this call into the session's stream (progress, log lines). */
    void publish(EventPayload payload);

    /**
     * Calls the agent's model on a tool's behalf (MCP sampling), after the agent's permissions allow it.
     *
     * @param server the MCP server asking, for the approval and the policy ({@code mcp__<server>__sampling})
     * @throws IllegalStateException when the request is refused or cannot be made, with the reason
     */
    LlmResponse sample(String server, String systemPrompt, List<Message> messages, Integer maxTokens);

    /** For calls nobody is watching (direct calls through the API): no one to ask, nowhere to publish. */
    ToolInteraction NONE = new ToolInteraction() {
        @Override
        public ApprovalDecision elicit(String message, Map<String, Object> requestedSchema,
                Map<String, Object> metadata) {
            return new ApprovalDecision(ApprovalStatus.DENIED, null,
                    "No conversation to ask: the tool was called directly", false);
        }

        @Override
        public void publish(EventPayload payload) {
        }

        @Override
        public LlmResponse sample(String server, String systemPrompt, List<Message> messages, Integer maxTokens) {
            throw new IllegalStateException("The tool asked for a model call, which needs an agent run; it was "
                    + "called directly");
        }
    };
}
