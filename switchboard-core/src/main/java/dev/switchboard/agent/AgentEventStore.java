package dev.switchboard.agent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where agents' events are kept once they leave the in-memory ring. */
public interface AgentEventStore {

    void append(List<AgentEvent> events);

    /** The owner's events of the agent with {@code after < seq < before}, oldest first, at most {@code limit}. */
    List<AgentEvent> between(String agentId, String ownerId, long after, long before, int limit);

    /** The highest stored seq of each agent, so that numbering goes on after a restart. */
    Map<String, Long> lastSeqs();

    /** Whose session it is and which agent it talks to, in that order; empty when there is no such session. */
    Optional<SessionOwner> ownerOf(String sessionId);

    /** The owner and the agent of a session. */
    record SessionOwner(String ownerId, String agentId) {
    }
}
