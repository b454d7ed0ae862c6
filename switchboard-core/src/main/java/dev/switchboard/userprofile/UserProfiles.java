package dev.switchboard.userprofile;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.content.Content;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.Session;
import dev.switchboard.store.Store;
import dev.switchboard.vault.SecretReferences;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learned user profile: after a conversation goes quiet (no run for {@code idleAfter}) or is deleted, one model
 * call reads what was said since the last time, with the facts known so far, and answers which facts are new,
 * confirmed or contradicted. Facts are never dropped by the model: a contradicted fact is flagged and kept; only the
 * user deletes facts.
 */
public final class UserProfiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserProfiles.class);

    /** The system prompt of the learning call; tests script the fake model on it. */
    public static final String LEARNER_PROMPT = "You maintain a profile of durable facts about a user of an AI "
            + "assistant, learned from their conversations.";

    public static final int MAX_FACT = 500;

    private final UserProfileStore facts;
    private final Store store;
    private final AgentCatalog agents;
    private final LlmClient llm;
    private final SecretReferences secrets;
    private final FactChanges.Reader reader;
    private final Clock clock;
    private final Duration idleAfter;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("profile-timer").factory());
    private final ExecutorService learners = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Map<String, Object> ownerLocks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param idleAfter how long a session must stay without runs before its conversation is learned from */
    public UserProfiles(UserProfileStore facts, Store store, AgentCatalog agents, LlmClient llm,
            SecretReferences secrets, FactChanges.Reader reader, Clock clock, Duration idleAfter) {
        this.facts = facts;
        this.store = store;
        this.agents = agents;
        this.llm = llm;
        this.secrets = secrets;
        this.reader = reader;
        this.clock = clock;
        this.idleAfter = idleAfter;
    }

    /** The owner's facts, oldest first, contradicted ones included. */
    public List<UserFact> facts(String ownerId) {
        return facts.facts(ownerId);
    }

    /** The session's queue ran dry: (re)starts its idle clock; a new run before it rings starts it over. */
    public void sessionIdle(String ownerId, String sessionId) {
        if (closed) {
            return;
        }
        ScheduledFuture<?> timer = timers.schedule(() -> learners.execute(() -> learnQuietly(ownerId, sessionId)),
                idleAfter.toMillis(), TimeUnit.MILLISECONDS);
        Optional.ofNullable(pending.put(sessionId, timer)).ifPresent(previous -> previous.cancel(false));
    }

    /**
     * The session is about to be deleted: learns from what it said since last time, from this copy of its history,
     * off the caller's thread.
     */
    public void sessionClosing(Session session, List<Message> history) {
        Optional.ofNullable(pending.remove(session.id())).ifPresent(timer -> timer.cancel(false));
        if (closed) {
            return;
        }
        List<Message> copy = List.copyOf(history);
        learners.execute(() -> {
            try {
                learn(session.ownerId(), session.id(), session.agentId(), copy);
            } catch (RuntimeException e) {
                LOG.warn("Learning from deleted session {} failed: {}", session.id(), e.toString());
            }
        });
    }

    private void learnQuietly(String ownerId, String sessionId) {
        pending.remove(sessionId);
        try {
            Optional<Session> session = store.findSession(ownerId, sessionId);
            if (session.isPresent()) {
                learn(ownerId, sessionId, session.get().agentId(), store.history(sessionId));
            }
        } catch (RuntimeException e) {
            LOG.warn("Learning from session {} failed: {}", sessionId, e.toString());
        }
    }

    /**
     * Learns from the part of the conversation not learned from yet, with the session's agent's model. Does
     * nothing when no user message is new or the agent has no model.
     *
     * @return the changes applied (empty when nothing was asked)
     */
    public Optional<FactChanges> learn(String ownerId, String sessionId, String agentId, List<Message> history) {
        Object lock = ownerLocks.computeIfAbsent(ownerId, id -> new Object());
        synchronized (lock) {
            Optional<String> through = facts.learnedThrough(sessionId);
            int from = 0;
            if (through.isPresent()) {
                for (int i = 0; i < history.size(); i++) {
                    if (through.get().equals(history.get(i).id())) {
                        from = i + 1;
                    }
                }
            }
            List<Message> unseen = history.subList(from, history.size());
            if (unseen.stream().noneMatch(m -> m.role() == Role.USER) || unseen.getLast().id() == null) {
                return Optional.empty();
            }
            Optional<AgentDefinition> agent = agents.find(agentId);
            if (agent.isEmpty() || agent.get().llm() == null) {
                return Optional.empty();
            }
            List<UserFact> known = facts.facts(ownerId);
            String answer = llm.stream(new LlmRequest(secrets.forCall(agent.get().llm(), agentId, ownerId),
                    LEARNER_PROMPT, List.of(Message.user(null, sessionId, Content.text(request(known, unseen)),
                            clock.instant())), List.of()), SILENT, new Cancellation()).text();
            FactChanges changes = reader.read(answer == null ? "" : answer);
            apply(ownerId, sessionId, known, changes);
            facts.markLearned(ownerId, sessionId, unseen.getLast().id(), clock.instant());
            return Optional.of(changes);
        }
    }

    private void apply(String ownerId, String sessionId, List<UserFact> known, FactChanges changes) {
        Instant now = clock.instant();
        Map<String, UserFact> byId = new HashMap<>();
        Map<String, UserFact> byText = new HashMap<>();
        known.forEach(f -> {
            byId.put(f.id(), f);
            byText.put(normal(f.fact()), f);
        });
        for (String id : changes.contradicted()) {
            UserFact fact = byId.get(id);
            if (fact == null) {
                LOG.debug("The profile model contradicted an unknown fact {}", id);
                continue;
            }
            UserFact flagged = fact.withContradicted(true, now);
            facts.save(flagged);
            byId.put(id, flagged);
        }
        for (FactChanges.Confirmation confirmation : changes.confirmed()) {
            UserFact fact = byId.get(confirmation.factId());
            if (fact != null && !changes.contradicted().contains(fact.id())) {
                UserFact confirmed = fact.withConfirmation(clamp(confirmation.confidence()), now);
                facts.save(confirmed);
                byId.put(fact.id(), confirmed);
            }
        }
        for (FactChanges.NewFact learned : changes.learned()) {
            String text = learned.fact() == null ? "" : learned.fact().strip();
            if (text.isEmpty()) {
                continue;
            }
            text = text.length() > MAX_FACT ? text.substring(0, MAX_FACT) : text;
            UserFact same = byText.get(normal(text));
            if (same != null) {
                // the model restated a known fact: a confirmation, not a duplicate
                UserFact current = byId.getOrDefault(same.id(), same);
                if (!current.contradicted()) {
                    facts.save(current.withConfirmation(clamp(learned.confidence()), now));
                }
                continue;
            }
            UserFact fact = new UserFact(Ids.next("fact"), ownerId, text, clamp(learned.confidence()), false,
                    sessionId, 0, now, now);
            facts.save(fact);
            byText.put(normal(text), fact);
        }
    }

    /**
     * Corrects a fact: its text, confidence or contradicted flag (each optional).
     *
     * @throws NotFoundException when the owner has no such fact
     */
    public UserFact correct(String ownerId, String factId, String fact, Double confidence, Boolean contradicted) {
        Object lock = ownerLocks.computeIfAbsent(ownerId, id -> new Object());
        synchronized (lock) {
            UserFact current = facts.find(ownerId, factId).orElseThrow(() -> new NotFoundException("fact", factId));
            String text = fact == null ? current.fact() : fact.strip();
            if (text.isEmpty() || text.length() > MAX_FACT) {
                throw new InvalidInputException("fact", "must be 1 to " + MAX_FACT + " characters");
            }
            if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
                throw new InvalidInputException("confidence", "must be between 0 and 1");
            }
            UserFact corrected = current.corrected(text, confidence == null ? current.confidence() : confidence,
                    contradicted == null ? current.contradicted() : contradicted, clock.instant());
            facts.save(corrected);
            return corrected;
        }
    }

    /** @throws NotFoundException when the owner has no such fact */
    public void delete(String ownerId, String factId) {
        if (!facts.delete(ownerId, factId)) {
            throw new NotFoundException("fact", factId);
        }
    }

    private static String request(List<UserFact> known, List<Message> conversation) {
        StringBuilder text = new StringBuilder("""
                Read the conversation below and update the user's profile. Only durable facts about the user count \
                (name, location, work, preferences, projects, constraints), not the topic of one request.
                Answer with JSON only, in this shape:
                {"new": [{"fact": "a short sentence about the user", "confidence": 0.0-1.0}],
                 "confirmed": [{"id": "id of a known fact the conversation supports", "confidence": 0.0-1.0}],
                 "contradicted": ["id of a known fact the conversation shows to be no longer true"]}
                When a known fact is contradicted, also add the new truth under "new".
                
                Known facts:
                """);
        if (known.isEmpty()) {
            text.append("(none)\n");
        }
        for (UserFact fact : known) {
            text.append("- ").append(fact.id()).append(": ").append(fact.fact())
                    .append(String.format(Locale.ROOT, " (confidence %.2f%s)", fact.confidence(),
                            fact.contradicted() ? ", contradicted" : ""))
                    .append('\n');
        }
        text.append("\nConversation:\n");
        for (Message m : conversation) {
            String body = Content.plainText(m.content());
            if (body.isBlank() || (m.role() != Role.USER && m.role() != Role.ASSISTANT)) {
                continue;
            }
            text.append(m.role() == Role.USER ? "User: " : "Assistant: ").append(body).append('\n');
        }
        return text.toString();
    }

    private static double clamp(double confidence) {
        return Double.isNaN(confidence) ? 0.5 : Math.max(0, Math.min(1, confidence));
    }

    private static String normal(String fact) {
        return fact.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s.]+$", "").replaceAll("\\s+", " ");
    }

    private static final LlmListener SILENT = new LlmListener() {
        @Override
        public void onText(String delta) {
        }

        @Override
        public void onReasoning(String delta) {
        }
    };

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        learners.shutdownNow();
    }
}
