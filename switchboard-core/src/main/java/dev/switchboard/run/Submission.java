package dev.switchboard.run;

import java.util.concurrent.CompletableFuture;

/**
 * The receipt for a submitted user message.
 *
 * @param startedNow true when the session was idle and the message is being processed at once
 * @param queueLength how many messages wait in the session's queue after this submission
 * @param outcome completes when the message's run ends
 */
public record Submission(String messageId, String sessionId, boolean startedNow, int queueLength,
        CompletableFuture<RunOutcome> outcome) {
}
