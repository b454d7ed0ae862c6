package dev.switchboard.pipeline;

import java.util.List;
import java.util.Optional;

/** Stores pipeline templates, runs and their checkpoints. Lookups that take an {@code ownerId} see only its rows. */
public interface PipelineStore {

    void addTemplate(PipelineTemplate template);

    /** False when the owner has no such template. */
    boolean updateTemplate(PipelineTemplate template);

    Optional<PipelineTemplate> findTemplate(String ownerId, String id);

    /** The owner's templates, by name. */
    List<PipelineTemplate> templates(String ownerId);

    boolean deleteTemplate(String ownerId, String id);

    void addRun(PipelineRun run);

    /** Replaces the run's status, state and error. */
    void updateRun(PipelineRun run);

    Optional<PipelineRun> findRun(String ownerId, String id);

    /** The owner's runs, newest first. */
    List<PipelineRun> runs(String ownerId);

    /** Every owner's runs in the status, for resuming those a stopped process left running. */
    List<PipelineRun> runsInStatus(PipelineStatus status);

    void addCheckpoint(Checkpoint checkpoint);

    /** Replaces a checkpoint's state. */
    void updateCheckpoint(Checkpoint checkpoint);

    /** The run's checkpoints, oldest first. */
    List<Checkpoint> checkpoints(String runId);

    /** Deletes the run's checkpoints numbered above {@code seq}: the future a rewind abandoned. */
    void deleteCheckpointsAfter(String runId, int seq);
}
