package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Ids;
import dev.switchboard.approval.Approval;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalRequest;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.approval.ApprovalType;
import dev.switchboard.prompt.CustomPrompt;
import dev.switchboard.prompt.PromptArgument;
import dev.switchboard.content.Content;
import dev.switchboard.content.FilePart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.run.QueuedMessage;
import dev.switchboard.run.RunRecord;
import dev.switchboard.run.RunStatus;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.Session;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What every {@link JdbcStore} database must do; each subclass runs it against one database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected JdbcStore store;

    /** Opens a store on this class's database, creating the database on the first call. */
    protected abstract JdbcStore openStore() throws Exception;

    /** Removes the database once every test has run. */
    protected abstract void dropDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = openStore();
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    // ---- sessions

    @Test
    void aBlobRecordedForAnOwnerIsTheirsAloneAndRecordingTwiceIsHarmless() {
        String owner = owner();
        String blob = id();
        assertThat(store.refersToBlob(owner, blob)).isFalse();
        store.recordBlobOwner(owner, blob);
        store.recordBlobOwner(owner, blob);
        assertThat(store.refersToBlob(owner, blob)).isTrue();
        assertThat(store.refersToBlob(owner(), blob)).isFalse();
    }

    @Test
    void createdSessionIsFoundAndListedForItsOwner() {
        String owner = owner();
        Session created = store.createSession(id(), owner, "helper", T0);

        assertThat(store.findSession(owner, created.id())).contains(created);
        assertThat(created.messageCount()).isZero();
        assertThat(created.tokenUsage()).isEqualTo(TokenUsage.NONE);
        assertThat(store.listSessions(owner)).containsExactly(created);
    }

    @Test
    void sessionsAreListedMostRecentlyActiveFirst() {
        String owner = owner();
        Session older = store.createSession(id(), owner, "helper", T0);
        Session newer = store.createSession(id(), owner, "helper", T0.plusSeconds(10));
        assertThat(store.listSessions(owner)).extracting(Session::id).containsExactly(newer.id(), older.id());

        store.appendMessage(owner, userMessage(older.id(), "wake up", T0.plusSeconds(20)));

        assertThat(store.listSessions(owner)).extracting(Session::id).containsExactly(older.id(), newer.id());
    }

    @Test
    void takenSessionIdIsAConflictEvenForAnotherOwner() {
        String id = id();
        store.createSession(id, owner(), "helper", T0);

        assertThatThrownBy(() -> store.createSession(id, owner(), "other", T0))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void titleCanBeSet() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);

        assertThat(store.updateTitle(owner, session.id(), "Trip to Lisbon")).isTrue();

        assertThat(store.findSession(owner, session.id()).orElseThrow().title()).isEqualTo("Trip to Lisbon");
        assertThat(store.updateTitle(owner, "no-such-session", "x")).isFalse();
    }

    @Test
    void anotherOwnerSeesNothingAndCannotChangeAnything() {
        String owner = owner();
        String stranger = owner();
        Session session = store.createSession(id(), owner, "helper", T0);

        assertThat(store.findSession(stranger, session.id())).isEmpty();
        assertThat(store.listSessions(stranger)).isEmpty();
        assertThat(store.updateTitle(stranger, session.id(), "mine now")).isFalse();
        assertThat(store.deleteSession(stranger, session.id())).isFalse();
        assertThatThrownBy(() -> store.appendMessage(stranger, userMessage(session.id(), "hi", T0)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.enqueue(queued(session.id(), stranger, "hi")))
                .isInstanceOf(NotFoundException.class);

        Session unchanged = store.findSession(owner, session.id()).orElseThrow();
        assertThat(unchanged.title()).isNull();
        assertThat(unchanged.messageCount()).isZero();
        assertThat(store.history(session.id())).isEmpty();
        assertThat(store.queued(session.id())).isEmpty();
    }

    // ---- messages

    @Test
    void historyKeepsAppendOrderAndTheSessionAddsUpUsageAndCost() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        Message question = userMessage(session.id(), "What is 2+2?", T0.plusSeconds(1));
        Message answer = new Message(Ids.next("msg"), session.id(), "run_1", Role.ASSISTANT, Content.text("4"),
                null, List.of(), null, null, null, new TokenUsage(100, 20, 5, 30), "openai", "gpt-4o", 0.25,
                T0.plusSeconds(2));
        Message followUp = new Message(Ids.next("msg"), session.id(), "run_1", Role.ASSISTANT,
                Content.text("Anything else?"), null, List.of(), null, null, null, new TokenUsage(50, 10, 0, 0),
                "openai", "gpt-4o", 0.5, T0.plusSeconds(3));

        store.appendMessage(owner, question);
        store.appendMessage(owner, answer);
        store.appendMessage(owner, followUp);

        assertThat(store.history(session.id())).containsExactly(question, answer, followUp);
        Session totals = store.findSession(owner, session.id()).orElseThrow();
        assertThat(totals.messageCount()).isEqualTo(3);
        assertThat(totals.tokenUsage()).isEqualTo(new TokenUsage(150, 30, 5, 30));
        assertThat(totals.estimatedCost()).isEqualTo(0.75);
        assertThat(totals.lastActivity()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void imagesFilesToolCallsAndToolResultsComeBackAsStored() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        Message multimodal = new Message(Ids.next("msg"), session.id(), null, Role.USER, List.of(
                new TextPart("Compare these \"two\" — ünïcode ok?"),
                new ImagePart("image/png", "blob-1", null),
                new ImagePart("image/jpeg", null, "https://example.com/cat.jpg"),
                new FilePart("application/pdf", "report.pdf", "blob-2")),
                null, List.of(), null, null, null, null, null, null, null, T0);
        Message toolCall = new Message(Ids.next("msg"), session.id(), "run_1", Role.ASSISTANT, List.of(),
                "I should look it up", List.of(new ToolCall("call_1", "search", "{\"q\":\"cats\"}"),
                        new ToolCall("call_2", "clock", "not json at all")),
                null, null, null, new TokenUsage(1, 2, 0, 0), "anthropic", "claude", null, T0.plusSeconds(1));
        Message toolResult = new Message(Ids.next("msg"), session.id(), "run_1", Role.TOOL, Content.text("3 cats"),
                null, List.of(), "call_1", "search", false, null, null, null, null, T0.plusSeconds(2));

        store.appendMessage(owner, multimodal);
        store.appendMessage(owner, toolCall);
        store.appendMessage(owner, toolResult);

        assertThat(store.history(session.id())).containsExactly(multimodal, toolCall, toolResult);
    }

    @Test
    void appendingToAMissingSessionFails() {
        assertThatThrownBy(() -> store.appendMessage(owner(), userMessage("no-such-session", "hi", T0)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void clearingHistoryKeepsTheSessionAndWhatItCost() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        store.appendMessage(owner, userMessage(session.id(), "one", T0));
        store.appendMessage(owner, new Message(Ids.next("msg"), session.id(), null, Role.ASSISTANT,
                Content.text("two"), null, List.of(), null, null, null, new TokenUsage(10, 1, 0, 0), "p", "m", 0.1,
                T0));

        assertThat(store.clearHistory(session.id())).isEqualTo(2);

        assertThat(store.history(session.id())).isEmpty();
        Session cleared = store.findSession(owner, session.id()).orElseThrow();
        assertThat(cleared.messageCount()).isZero();
        assertThat(cleared.tokenUsage().inputTokens()).isEqualTo(10);
        Message next = userMessage(session.id(), "again", T0.plusSeconds(1));
        store.appendMessage(owner, next);
        assertThat(store.history(session.id())).containsExactly(next);
    }

    @Test
    void concurrentAppendsAllLandInHistory() throws Exception {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        store.appendMessage(owner, userMessage(session.id(), "hello", T0));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        }
        assertThat(store.history(session.id())).hasSize(160);
        assertThat(store.findSession(owner, session.id()).orElseThrow().messageCount()).isEqualTo(160);
    }

    // ---- queue

    @Test
    void queueIsFirstInFirstOutAndCanBeEdited() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        QueuedMessage first = queued(session.id(), owner, "first");
        QueuedMessage second = new QueuedMessage(Ids.next("msg"), session.id(), owner, List.of(
                new TextPart("second"), new ImagePart("image/png", "blob-9", null)), "background", T0,
                Map.of("source", "webhook", "priority", "low"));
        QueuedMessage third = queued(session.id(), owner, "third");
        store.enqueue(first);
        store.enqueue(second);
        store.enqueue(third);

        assertThat(store.queued(session.id())).containsExactly(first, second, third);
        assertThat(store.sessionsWithQueue()).contains(session.id());

        assertThat(store.removeQueued(session.id(), second.id())).isTrue();
        assertThat(store.removeQueued(session.id(), second.id())).isFalse();
        assertThat(store.queued(session.id())).containsExactly(first, third);

        assertThat(store.clearQueue(session.id())).isEqualTo(2);
        assertThat(store.queued(session.id())).isEmpty();
        assertThat(store.sessionsWithQueue()).doesNotContain(session.id());
    }

    @Test
    void startingARunMovesTheQueuedMessageIntoHistory() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        QueuedMessage waiting = queued(session.id(), owner, "do the thing");
        QueuedMessage next = queued(session.id(), owner, "then this");
        store.enqueue(waiting);
        store.enqueue(next);
        RunRecord run = running(session.id(), owner, waiting.id(), T0.plusSeconds(1));
        Message user = Message.user(waiting.id(), session.id(), waiting.content(), waiting.queuedAt())
                .withRunId(run.id());

        store.startRun(waiting, user, run);

        assertThat(store.queued(session.id())).containsExactly(next);
        assertThat(store.history(session.id())).containsExactly(user);
        assertThat(store.runs(session.id())).containsExactly(run);
        assertThat(store.findSession(owner, session.id()).orElseThrow().messageCount()).isEqualTo(1);
    }

    @Test
    void aRunThatCannotStartLeavesEverythingAsItWas() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        Message earlier = userMessage(session.id(), "earlier", T0);
        store.appendMessage(owner, earlier);
        QueuedMessage waiting = queued(session.id(), owner, "do the thing");
        store.enqueue(waiting);
        // the user message reuses a stored id, so its insert fails after the queue row is already deleted
        Message clash = Message.user(earlier.id(), session.id(), waiting.content(), T0.plusSeconds(1));

        assertThatThrownBy(() -> store.startRun(waiting, clash,
                running(session.id(), owner, waiting.id(), T0.plusSeconds(1))))
                .isInstanceOf(RuntimeException.class);

        assertThat(store.queued(session.id())).containsExactly(waiting);
        assertThat(store.history(session.id())).containsExactly(earlier);
        assertThat(store.runs(session.id())).isEmpty();
        assertThat(store.findSession(owner, session.id()).orElseThrow().messageCount()).isEqualTo(1);
    }

    // ---- event sequence numbers

    @Test
    void reservedSeqBlocksNeverOverlapUnderConcurrency() throws Exception {
        Session session = store.createSession(id(), owner(), "helper", T0);
        int blockSize = 16;
        List<Future<List<Long>>> reservers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                reservers.add(threads.submit(() -> {
                    List<Long> firsts = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        firsts.add(store.reserveSeq(session.id(), blockSize));
                    }
                    return firsts;
                }));
            }
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> reserver : reservers) {
            List<Long> firsts = reserver.get();
            assertThat(firsts).isSorted();
            all.addAll(firsts);
        }
        all.sort(null);
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 400; i++) {
            expected.add(i * blockSize);
        }
        assertThat(all).isEqualTo(expected);
        assertThat(store.reserveSeq(session.id(), 1)).isEqualTo(400L * blockSize);
    }

    @Test
    void reservingSeqForAMissingSessionFails() {
        assertThatThrownBy(() -> store.reserveSeq("no-such-session", 10)).isInstanceOf(NotFoundException.class);
    }

    // ---- runs

    @Test
    void finishedRunKeepsItsOutcome() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        QueuedMessage waiting = queued(session.id(), owner, "go");
        store.enqueue(waiting);
        RunRecord run = running(session.id(), owner, waiting.id(), T0);
        store.startRun(waiting, Message.user(waiting.id(), session.id(), waiting.content(), T0), run);

        store.finishRun(run.id(), RunStatus.FAILED, "error", 3, new TokenUsage(7, 8, 1, 2), 0.125, "provider down",
                T0.plusSeconds(5));

        assertThat(store.runs(session.id())).containsExactly(new RunRecord(run.id(), session.id(), owner,
                waiting.id(), RunStatus.FAILED, "error", 3, new TokenUsage(7, 8, 1, 2), 0.125, "provider down", T0,
                T0.plusSeconds(5)));
    }

    @Test
    void runsStillRunningAtStartupBecomeInterrupted() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        RunRecord done = startRun(session.id(), owner, T0);
        store.finishRun(done.id(), RunStatus.COMPLETED, "stop", 1, TokenUsage.NONE, null, null, T0.plusSeconds(1));
        RunRecord stuck = startRun(session.id(), owner, T0.plusSeconds(2));
        Instant restart = T0.plusSeconds(60);

        assertThat(store.interruptRunningRuns(restart)).isGreaterThanOrEqualTo(1);

        List<RunRecord> runs = store.runs(session.id());
        assertThat(runs).extracting(RunRecord::id).containsExactly(done.id(), stuck.id());
        assertThat(runs.get(0).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(runs.get(1).status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(runs.get(1).finishReason()).isEqualTo("interrupted");
        assertThat(runs.get(1).endedAt()).isEqualTo(restart);
        assertThat(store.interruptRunningRuns(restart)).isZero();
    }

    // ---- deletion and reopening

    @Test
    void deletingASessionRemovesItsMessagesQueueAndRuns() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        startRun(session.id(), owner, T0);
        store.appendMessage(owner, userMessage(session.id(), "more", T0));
        store.enqueue(queued(session.id(), owner, "later"));

        assertThat(store.deleteSession(owner, session.id())).isTrue();

        assertThat(store.findSession(owner, session.id())).isEmpty();
        assertThat(store.history(session.id())).isEmpty();
        assertThat(store.queued(session.id())).isEmpty();
        assertThat(store.runs(session.id())).isEmpty();
        assertThat(store.sessionsWithQueue()).doesNotContain(session.id());
        assertThat(store.deleteSession(owner, session.id())).isFalse();
    }

    @Test
    void reopeningAMigratedDatabaseKeepsItsData() throws Exception {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        Message message = userMessage(session.id(), "still here?", T0);
        store.appendMessage(owner, message);
        long seq = store.reserveSeq(session.id(), 100);

        try (JdbcStore reopened = openStore()) {
            assertThat(reopened.findSession(owner, session.id())).isPresent();
            assertThat(reopened.history(session.id())).containsExactly(message);
            assertThat(reopened.reserveSeq(session.id(), 1)).isEqualTo(seq + 100);
        }
    }

    // ---- approvals

    @Test
    void anApprovalIsResolvedExactlyOnceAndKeepsItsAnswer() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        ApprovalRequest request = approvalRequest(owner, session.id(), "call_1");
        store.saveApproval(request);

        assertThat(store.pendingApprovals(owner, session.id())).extracting(Approval::id).containsExactly(request.id());
        assertThat(store.pendingApprovals(owner(), session.id())).as("another owner's view").isEmpty();
        assertThat(store.findApproval(owner(), request.id())).as("another owner's lookup").isEmpty();
        Approval stored = store.findApproval(owner, request.id()).orElseThrow();
        assertThat(stored.request()).isEqualTo(request);
        assertThat(stored.pending()).isTrue();

        ApprovalDecision answer = new ApprovalDecision(ApprovalStatus.APPROVED, Map.of("name", "Ada", "age", 36),
                null, true);
        assertThat(store.resolveApproval(request.id(), answer, "key-1", T0.plusSeconds(5))).isTrue();
        assertThat(store.resolveApproval(request.id(), ApprovalDecision.denied("late"), "key-2", T0.plusSeconds(6)))
                .as("a second resolution").isFalse();

        Approval resolved = store.findApproval(owner, request.id()).orElseThrow();
        assertThat(resolved.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(resolved.decision()).isEqualTo(answer);
        assertThat(resolved.idempotencyKey()).isEqualTo("key-1");
        assertThat(resolved.resolvedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.pendingApprovals(owner, null)).isEmpty();
        assertThat(store.allPendingApprovals()).extracting(Approval::id).doesNotContain(request.id());
        assertThat(store.approvalsOfCall(session.id(), "call_1")).extracting(Approval::id).containsExactly(request.id());
    }

    @Test
    void pendingApprovalsAreListedOldestFirstAndGoWithTheirSession() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        ApprovalRequest first = approvalRequest(owner, session.id(), "call_a");
        ApprovalRequest second = new ApprovalRequest(Ids.next("apr"), ApprovalType.ELICITATION, owner, session.id(),
                "run_x", "helper", "ask_user", "call_b", null, "Your name?",
                Map.of("requestedSchema", Map.of("type", "object")), 1000, T0.plusSeconds(1));
        store.saveApproval(second);
        store.saveApproval(first);

        assertThat(store.pendingApprovals(owner, null)).extracting(Approval::id).containsExactly(first.id(), second.id());
        assertThat(store.findApproval(owner, second.id()).orElseThrow().request().metadata())
                .containsEntry("requestedSchema", Map.of("type", "object"));
        assertThat(store.allPendingApprovals()).extracting(Approval::id).contains(first.id(), second.id());

        store.deleteSession(owner, session.id());
        assertThat(store.pendingApprovals(owner, null)).isEmpty();
    }

    @Test
    void aRememberedChoiceIsPerOwnerAgentAndToolAndCanChange() {
        String owner = owner();
        assertThat(store.rememberedChoice(owner, "helper", "write_file")).isEmpty();
        store.rememberChoice(owner, "helper", "write_file", ApprovalStatus.APPROVED, T0);
        store.rememberChoice(owner, "helper", "write_file", ApprovalStatus.DENIED, T0.plusSeconds(1));

        assertThat(store.rememberedChoice(owner, "helper", "write_file")).contains(ApprovalStatus.DENIED);
        assertThat(store.rememberedChoice(owner, "other", "write_file")).isEmpty();
        assertThat(store.rememberedChoice(owner(), "helper", "write_file")).isEmpty();
    }

    // ---- custom prompts

    @Test
    void customPromptsAreStoredPerOwnerWithTheirArgumentsAndAttachment() {
        String owner = owner();
        CustomPrompt prompt = new CustomPrompt(owner, "summarize", "Summarize", "Summarizes a text",
                "Summarize {{text}} in {{words}} words",
                List.of(new PromptArgument("text", "what to summarize", true), new PromptArgument("words", null, false)),
                new CustomPrompt.Attachment("blob_1", "text/plain", "notes.txt", 42), T0);
        store.savePrompt(prompt);

        assertThat(store.findPrompt(owner, "summarize")).contains(prompt);
        assertThat(store.findPrompt(owner(), "summarize")).isEmpty();
        assertThatThrownBy(() -> store.savePrompt(prompt)).isInstanceOf(ConflictException.class);
        CustomPrompt plain = new CustomPrompt(owner, "hello", null, null, "Hi", List.of(), null, T0);
        store.savePrompt(plain);
        assertThat(store.listPrompts(owner)).extracting(CustomPrompt::name).containsExactly("hello", "summarize");
        assertThat(store.findPrompt(owner, "hello")).contains(plain);

        assertThat(store.deletePrompt(owner, "summarize")).isTrue();
        assertThat(store.deletePrompt(owner, "summarize")).isFalse();
        assertThat(store.listPrompts(owner)).extracting(CustomPrompt::name).containsExactly("hello");
    }

    @Test
    void aResumingRunStartsWithoutAUserMessage() {
        String owner = owner();
        Session session = store.createSession(id(), owner, "helper", T0);
        startRun(session.id(), owner, T0);
        QueuedMessage resume = new QueuedMessage(Ids.next("msg"), session.id(), owner, List.of(), "resume", T0,
                Map.of());
        store.enqueue(resume);
        RunRecord run = running(session.id(), owner, resume.id(), T0.plusSeconds(1));

        store.startRun(resume, null, run);

        assertThat(store.history(session.id())).hasSize(1);
        assertThat(store.queued(session.id())).isEmpty();
        assertThat(store.runs(session.id())).extracting(RunRecord::id).endsWith(run.id());
    }

    // ---- helpers

    private static ApprovalRequest approvalRequest(String owner, String sessionId, String callId) {
        return new ApprovalRequest(Ids.next("apr"), ApprovalType.TOOL, owner, sessionId, "run_x", "helper",
                "write_file", callId, "{\"path\":\"a.txt\"}", "May it write?", Map.of("risk", "acts"), 120_000, T0);
    }

    private RunRecord startRun(String sessionId, String owner, Instant at) {
        QueuedMessage waiting = queued(sessionId, owner, "go");
        store.enqueue(waiting);
        RunRecord run = running(sessionId, owner, waiting.id(), at);
        store.startRun(waiting, Message.user(waiting.id(), sessionId, waiting.content(), at).withRunId(run.id()), run);
        return run;
    }

    private static RunRecord running(String sessionId, String owner, String messageId, Instant at) {
        return new RunRecord(Ids.next("run"), sessionId, owner, messageId, RunStatus.RUNNING, null, 0,
                TokenUsage.NONE, null, null, at, null);
    }

    private static QueuedMessage queued(String sessionId, String owner, String text) {
        return new QueuedMessage(Ids.next("msg"), sessionId, owner, Content.text(text), "default", T0, Map.of());
    }

    private static Message userMessage(String sessionId, String text, Instant at) {
        return Message.user(Ids.next("msg"), sessionId, Content.text(text), at);
    }

    private static String id() {
        return Ids.next("ses");
    }

    private static String owner() {
        return Ids.next("usr");
    }
}
