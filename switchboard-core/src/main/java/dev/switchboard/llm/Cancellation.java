package dev.switchboard.llm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cooperative cancel signal for one run. Adapters register what must happen on cancel
 * (closing an HTTP call), the loop checks {@link #isCancelled()} between steps.
 */
public final class Cancellation {

    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    /** Signals cancellation and runs every registered action once. */
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        for (Runnable action : actions) {
            action.run();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs {@code action} on cancel, or at once if already cancelled. Returns a handle that unregisters it,
     * to be closed when the guarded work ends.
     */
    public AutoCloseable onCancel(Runnable action) {
        actions.add(action);
        if (cancelled) {
            action.run();
        }
        return () -> actions.remove(action);
    }
}
