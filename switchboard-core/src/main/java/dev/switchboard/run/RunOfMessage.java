package dev.switchboard.run;

import dev.switchboard.event.Event;
import dev.switchboard.event.EventPayload;
import java.util.function.Predicate;

/**
 * Picks, from a session's event stream, the events of the run that processes one message: from its
 * {@code run:started} to its {@code run:complete}. Every face that streams one message's answer uses it.
 */
public final class RunOfMessage implements Predicate<Event> {

    private final String messageId;
    private volatile String runId;

    public RunOfMessage(String messageId) {
        this.messageId = messageId;
    }

    @Override
    public boolean test(Event event) {
        if (runId == null && event.payload() instanceof EventPayload.RunStarted started
                && started.messageId().equals(messageId)) {
            runId = event.runId();
        }
        return runId != null && runId.equals(event.runId());
    }

    /** Whether the event ends the run (to be asked of events {@link #test} accepted). */
    public static boolean isEnd(Event event) {
        return event.payload() instanceof EventPayload.RunComplete;
    }
}
