package dev.switchboard.hook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where hooks and their execution log are kept. */
public interface HookStore {

    void add(Hook hook);

    /** Replaces the stored hook of the same id and owner (its counters stay); false when there is none. */
    boolean update(Hook hook);

    Optional<Hook> find(String ownerId, String id);

    /** Any owner's hook; for the incoming webhook route and the scheduler, which have no owner to scope by. */
    Optional<Hook> findAny(String id);

    /** The owner's hooks, highest priority first. */
    List<Hook> list(String ownerId);

    /** Enabled hooks of a trigger, every owner's, highest priority first. */
    List<Hook> enabledOf(HookTrigger trigger);

    boolean setEnabled(String ownerId, String id, boolean enabled, Instant now);

    boolean delete(String ownerId, String id);

    /**
     * Counts one execution if the hook is enabled, out of its cooldown and under its maximum, atomically (so two
     * events or two nodes cannot both pass); false when it may not fire now.
     */
    boolean claimExecution(String id, Instant now);

    void addExecution(HookExecution execution);

    /** The hook's executions, newest first. */
    List<HookExecution> executions(String ownerId, String hookId, int limit, int offset);
}
