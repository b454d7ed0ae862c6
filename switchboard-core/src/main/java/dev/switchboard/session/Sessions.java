package dev.switchboard.session;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.content.Content;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotConfiguredException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.run.RunEngine;
import dev.switchboard.store.Store;
import dev.switchboard.vault.SecretReferences;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What can be done to sessions as wholes: create, find, rename, fork, reset, delete, title. */
public final class Sessions {

    /** Client-chosen session ids: letters, digits, {@code -_.:}, 1..128 characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    public static final int MAX_TITLE = 120;

    private final Store store;
    private final RunEngine engine;
    private final AgentCatalog agents;
    private final LlmClient llm;
    private final SecretReferences secrets;
    private final EventHub events;
    private final Clock clock;

    public Sessions(Store store, RunEngine engine, AgentCatalog agents, LlmClient llm, SecretReferences secrets,
            EventHub events, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.agents = agents;
        this.llm = llm;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    /** Creates a session for the agent (the default one when null), with a generated id when none is given. */
    public Session create(String ownerId, String sessionId, String agentId) {
        String id = sessionId == null ? Ids.next("ses") : validId(sessionId);
        String agent = agentId == null ? agents.defaultAgentId() : agentId;
        if (agents.find(agent).isEmpty()) {
            throw new InvalidInputException("agentId", "No agent named '" + agent + "'");
        }
        return store.createSession(id, ownerId, agent, clock.instant());
    }

    /**
     * Creates a session (with a generated id when {@code sessionId} is null) whose history starts with
     * {@code turns}: a conversation held by the caller, such as the messages of a stateless chat completion. Each
     * turn gets a new id and this session's id.
     */
    public Session createWithHistory(String ownerId, String sessionId, String agentId, List<Message> turns) {
        Session session = create(ownerId, sessionId, agentId);
        for (Message turn : turns) {
            store.appendMessage(ownerId, new Message(Ids.next("msg"), session.id(), null, turn.role(), turn.content(),
                    turn.reasoning(), turn.toolCalls(), turn.toolCallId(), turn.toolName(), turn.success(),
                    turn.tokenUsage(), turn.provider(), turn.model(), turn.estimatedCost(),
                    turn.timestamp() == null ? clock.instant() : turn.timestamp()));
        }
        return get(ownerId, session.id());
    }

    /** The session, creating it for the default agent when it does not exist yet (messaging creates sessions). */
    public Session getOrCreate(String ownerId, String sessionId) {
        return store.findSession(ownerId, validId(sessionId)).orElseGet(() -> {
            try {
                return create(ownerId, sessionId, null);
            } catch (ConflictException raced) {
                return get(ownerId, sessionId);
            }
        });
    }

    /**
     * The session for a conversation with {@code agentId}: created for that agent when it does not exist yet.
     *
     * @throws ConflictException when the session exists but talks to another agent
     */
    public Session getOrCreate(String ownerId, String sessionId, String agentId) {
        Session session = store.findSession(ownerId, validId(sessionId)).orElseGet(() -> {
            try {
                return create(ownerId, sessionId, agentId);
            } catch (ConflictException raced) {
                return get(ownerId, sessionId);
            }
        });
        if (!session.agentId().equals(agentId)) {
            throw new ConflictException("Session '" + sessionId + "' talks to agent '" + session.agentId() + "'",
                    Map.of("sessionId", sessionId, "agentId", session.agentId()));
        }
        return session;
    }

    public Session get(String ownerId, String sessionId) {
        return store.findSession(ownerId, sessionId).orElseThrow(() -> new NotFoundException("session", sessionId));
    }

    public List<Session> list(String ownerId) {
        return store.listSessions(ownerId);
    }

    public List<Message> history(String ownerId, String sessionId) {
        get(ownerId, sessionId);
        return store.history(sessionId);
    }

    /** The session's runs, oldest first, with their states. */
    public List<dev.switchboard.run.RunRecord> runs(String ownerId, String sessionId) {
        get(ownerId, sessionId);
        return store.runs(sessionId);
    }

    public Session rename(String ownerId, String sessionId, String title) {
        String clean = validTitle(title);
        if (!store.updateTitle(ownerId, sessionId, clean)) {
            throw new NotFoundException("session", sessionId);
        }
        events.publish(sessionId, null, new EventPayload.TitleUpdated(clean));
        return get(ownerId, sessionId);
    }

    /** Told just before a session is deleted, with its history (the user profile learns from it). */
    @FunctionalInterface
    public interface Closing {
        void closing(Session session, List<Message> history);
    }

    private final List<Closing> closing = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds one more who is told when a session is about to be deleted. */
    public void onDelete(Closing listener) {
        closing.add(listener);
    }

    /** Deletes the session after cancelling its run and dropping its queue. */
    public void delete(String ownerId, String sessionId) {
        Session session = get(ownerId, sessionId);
        engine.forget(sessionId);
        if (!closing.isEmpty()) {
            List<Message> history = store.history(sessionId);
            closing.forEach(listener -> listener.closing(session, history));
        }
        store.deleteSession(ownerId, sessionId);
    }

    /** Clears the conversation; refused while a run is in progress. Returns how many messages were removed. */
    public int reset(String ownerId, String sessionId) {
        get(ownerId, sessionId);
        if (engine.isBusy(sessionId)) {
            throw new ConflictException("Session '" + sessionId + "' is busy; cancel it before resetting",
                    Map.of("sessionId", sessionId));
        }
        return store.clearHistory(sessionId);
    }

    /** A new session with the same agent and a copy of the history. */
    public Session fork(String ownerId, String sessionId, String newId) {
        return fork(ownerId, sessionId, newId, null);
    }

    /**
     * A new session with the same agent and a copy of the history up to and including {@code atMessageId} (all of
     * it when null): a branch of the conversation at that message.
     *
     * @throws InvalidInputException when the session has no such message
     */
    public Session fork(String ownerId, String sessionId, String newId, String atMessageId) {
        Session source = get(ownerId, sessionId);
        List<Message> history = store.history(sessionId);
        if (atMessageId != null) {
            int at = -1;
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).id().equals(atMessageId)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new InvalidInputException("messageId", "Session '" + sessionId + "' has no message '"
                        + atMessageId + "'");
            }
            // a turn's tool calls keep their results: a call without a result would be refused by the provider
            while (at + 1 < history.size() && history.get(at + 1).role() == Role.TOOL) {
                at++;
            }
            history = history.subList(0, at + 1);
        }
        Session copy = create(ownerId, newId, source.agentId());
        for (Message message : history) {
            store.appendMessage(ownerId, new Message(Ids.next("msg"), copy.id(), message.runId(), message.role(),
                    message.content(), message.reasoning(), message.toolCalls(), message.toolCallId(),
                    message.toolName(), message.success(), message.tokenUsage(), message.provider(), message.model(),
                    message.estimatedCost(), message.timestamp()));
        }
        String title = source.title() == null ? null : clip("Fork of " + source.title());
        if (title != null) {
            store.updateTitle(ownerId, copy.id(), title);
        }
        return get(ownerId, copy.id());
    }

    /** Asks the session's model for a short title from the first user message, stores and announces it. */
    public Session generateTitle(String ownerId, String sessionId) {
        Session session = get(ownerId, sessionId);
        String firstUserText = store.history(sessionId).stream()
                .filter(m -> m.role() == Role.USER)
                .map(m -> Content.plainText(m.content()))
                .filter(t -> !t.isBlank())
                .findFirst()
                .orElseThrow(() -> new ConflictException("Session '" + sessionId + "' has no user message to title",
                        Map.of("sessionId", sessionId)));
        AgentDefinition agent = agents.find(session.agentId())
                .orElseThrow(() -> new NotFoundException("agent", session.agentId()));
        if (agent.llm() == null) {
            throw new NotConfiguredException(agent.llmProblem(), Map.of("agentId", agent.id()));
        }
        String prompt = "Write a title of at most six words for a conversation that starts with the message "
                + "below. Answer with the title only, no quotes.\n\n" + firstUserText;
        String answer = llm.stream(new LlmRequest(secrets.forCall(agent.llm(), agent.id(), ownerId),
                "You write short, specific titles.",
                List.of(Message.user(null, sessionId, Content.text(prompt), clock.instant())), List.of()),
                NO_STREAM, new Cancellation()).text();
        String title = clip(answer == null || answer.isBlank() ? firstUserText : answer.strip().replaceAll("^\"|\"$", ""));
        return rename(ownerId, sessionId, title);
    }

    private static final LlmListener NO_STREAM = new LlmListener() {
        @Override
        public void onText(String delta) {
        }

        @Override
        public void onReasoning(String delta) {
        }
    };

    private static String clip(String title) {
        String oneLine = title.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_TITLE ? oneLine : oneLine.substring(0, MAX_TITLE);
    }

    private static String validId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("sessionId",
                    "must be 1..128 characters of letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        return id;
    }

    private static String validTitle(String title) {
        if (title == null || title.isBlank()) {
            throw new InvalidInputException("title", "must not be empty");
        }
        if (title.length() > MAX_TITLE) {
            throw new InvalidInputException("title", "must be at most " + MAX_TITLE + " characters");
        }
        return title.strip();
    }
}
