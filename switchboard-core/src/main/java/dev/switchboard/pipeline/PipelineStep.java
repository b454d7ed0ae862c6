package dev.switchboard.pipeline;

import java.util.List;

/**
 * One step of a pipeline template: a prompt template given to an agent, run as an ordinary run.
 *
 * @param id the step's name, unique in its template; prompts refer to its output as {@code {{steps.<id>.output}}}
 * @param agentId the agent that runs it; null for the default agent
 * @param prompt the prompt template (see {@link PromptTemplate})
 * @param tools the names of the agent's tools the step may use; null for all of the agent's tools
 * @param approval whether a person must approve before the step starts
 * @param retries how many times a failed run of the step is tried again before the pipeline fails
 * @param foreach the plan the step runs once per item of: {@code steps.<id>} (the items of an earlier step's
 *     output) or {@code input.<name>} (the items given at the start); null for a step that runs once
 */
public record PipelineStep(String id, String agentId, String prompt, List<String> tools, boolean approval,
        int retries, String foreach) {

    public PipelineStep {
        tools = tools == null ? null : List.copyOf(tools);
    }

    /** Whether the step runs once per item of a plan. */
    public boolean isForeach() {
        return foreach != null;
    }
}
