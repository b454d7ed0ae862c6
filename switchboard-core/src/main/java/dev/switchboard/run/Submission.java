package dev.switchboard.run;

import dev.switchboard.failure.RunFailedException;
import dev.switchboard.failure.SwitchboardException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The receipt for a submitted user message.
 *
 * @param startedNow true when the session was idle and the message is being processed at once
 * @param queueLength how many messages wait in the session's queue after this submission
 * @param outcome completes when the message's run ends
 */
public record Submission(String messageId, String sessionId, boolean startedNow, int queueLength,
        CompletableFuture<RunOutcome> outcome) {

    /**
     * Waits for the message's run to end and returns how it ended (completed, failed or cancelled).
     *
     * @throws RunFailedException when the message never got a run: removed from the queue ({@code cancelled}),
     *     or its run could not start (the cause itself when it is one of Switchboard's failures)
     */
    public RunOutcome await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (CancellationException e) {
            throw new RunFailedException("cancelled", "The message was removed from the queue before it ran", false,
                    null);
        } catch (ExecutionException e) {
            // the run could not even start (its session vanished, the store failed): report that failure itself
            throw e.getCause() instanceof SwitchboardException cause ? cause
                    : new RunFailedException("internal_error", String.valueOf(e.getCause()), false, null);
        }
    }
}
