package dev.switchboard.pipeline;

import java.time.Instant;

/**
 * A run's state saved at a step boundary, before a step (or one item of a {@code foreach} step) starts, and when
 * the run ends. Resuming from it rewinds the run there.
 *
 * @param seq the checkpoint's number in its run, from 1
 * @param label what comes next, e.g. {@code before step 'write', item 2 of 3}
 */
public record Checkpoint(String id, String runId, int seq, String label, PipelineState state, Instant createdAt) {
}
