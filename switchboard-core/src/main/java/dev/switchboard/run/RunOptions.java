package dev.switchboard.run;

import dev.switchboard.llm.ToolSpec;
import java.util.List;

/**
 * What one request asks of its run beyond the agent's configuration. Kept in memory with the queued message: a
 * message that outlives a restart runs with the agent's plain configuration.
 *
 * @param extraSystemPrompt appended to the agent's system prompt for this run, or null
 * @param clientTools functions the caller executes itself: offered to the model next to the agent's tools; when the
 *     model calls one, the run ends with finish reason {@code tool_calls} and hands the calls out in
 *     {@link RunOutcome#clientToolCalls()}
 * @param temperature overrides the agent's temperature, or null
 * @param maxOutputTokens overrides the agent's limit on tokens per model call, or null
 * @param allowedTools names of the agent's own tools this run may offer the model (a pipeline step narrows an
 *     agent to the tools its step needs); null for all of them
 * @param maxIterations lowers the agent's limit on model calls in this run (a schedule's cap), or null
 */
public record RunOptions(String extraSystemPrompt, List<ToolSpec> clientTools, Double temperature,
        Integer maxOutputTokens, List<String> allowedTools, Integer maxIterations) {

    public static final RunOptions NONE = new RunOptions(null, List.of(), null, null, null, null);

    public RunOptions {
        clientTools = clientTools == null ? List.of() : List.copyOf(clientTools);
        allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
    }

    /** Options that leave the agent's own tools and its limit on model calls as they are. */
    public RunOptions(String extraSystemPrompt, List<ToolSpec> clientTools, Double temperature,
            Integer maxOutputTokens) {
        this(extraSystemPrompt, clientTools, temperature, maxOutputTokens, null, null);
    }
}
