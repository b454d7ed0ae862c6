package dev.switchboard.pipeline;

import java.time.Instant;
import java.util.List;

/** A reusable pipeline: named steps, run in order, each by an agent. */
public record PipelineTemplate(String id, String ownerId, String name, String description, List<PipelineStep> steps,
        Instant createdAt, Instant updatedAt) {

    public PipelineTemplate {
        steps = List.copyOf(steps);
    }
}
