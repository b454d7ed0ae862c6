package dev.switchboard.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of a pipeline template. It keeps a copy of the template's steps as they were at its start, so that
 * editing or deleting the template never changes a run.
 *
 * @param error why it failed or was stopped, else null
 */
public record PipelineRun(String id, String ownerId, String templateId, String name, List<PipelineStep> steps,
        Map<String, PipelineInput> inputs, PipelineStatus status, PipelineState state, String error,
        Instant createdAt, Instant updatedAt) {

    public PipelineRun {
        steps = List.copyOf(steps);
        inputs = Map.copyOf(inputs);
    }

    public PipelineRun with(PipelineStatus newStatus, PipelineState newState, String newError, Instant at) {
        return new PipelineRun(id, ownerId, templateId, name, steps, inputs, newStatus, newState, newError,
                createdAt, at);
    }
}
