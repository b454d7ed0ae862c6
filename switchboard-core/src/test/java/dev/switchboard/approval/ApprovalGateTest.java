package dev.switchboard.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Ids;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.store.MemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApprovalGateTest {

    private final MemoryStore store = new MemoryStore();
    private final EventHub events = new EventHub(100, 100, (id, size) -> 1, Clock.systemUTC());
    private final ApprovalGate gate = new ApprovalGate(store, events, Clock.systemUTC());
    private final List<Event> seen = new CopyOnWriteArrayList<>();

    {
        events.of("s").subscribe(-1, seen::add);
    }

    @AfterEach
    void close() {
        gate.close();
    }

    private static ApprovalRequest request(long timeoutMs) {
        return new ApprovalRequest(Ids.next("apr"), ApprovalType.TOOL, "op", "s", "run_1", "default", "write_file",
                "call_1", "{}", "May it write?", Map.of(), timeoutMs, Instant.now());
    }

    private CompletableFuture<ApprovalDecision> askInBackground(ApprovalRequest request, Cancellation cancellation) {
        CompletableFuture<ApprovalDecision> decision = CompletableFuture.supplyAsync(
                () -> gate.ask(request, cancellation), Thread::startVirtualThread);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.pending("op", "s").isEmpty()) {
            assertThat(System.nanoTime()).as("the request was stored").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return decision;
    }

    @Test
    void anAnswerReachesTheWaiterWithItsFormDataAndIsAnnounced() throws Exception {
        ApprovalRequest request = request(60_000);
        CompletableFuture<ApprovalDecision> decision = askInBackground(request, new Cancellation());

        assertThat(seen).extracting(Event::name).containsExactly("approval:request");
        gate.answer("op", request.id(), ApprovalDecision.approved(Map.of("answer", 42)), null);

        assertThat(decision.get(5, TimeUnit.SECONDS).formData()).containsEntry("answer", 42);
        assertThat(seen).extracting(Event::name).containsExactly("approval:request", "approval:response");
        EventPayload.ApprovalResponded response = (EventPayload.ApprovalResponded) seen.getLast().payload();
        assertThat(response.status()).isEqualTo("approved");
        assertThat(gate.pending("op", "s")).isEmpty();
    }

    @Test
    void noAnswerWithinTheTimeoutIsADenialThatSaysWhy() throws Exception {
        ApprovalDecision decision = gate.ask(request(200), new Cancellation());

        assertThat(decision.status()).isEqualTo(ApprovalStatus.DENIED);
        assertThat(decision.reason()).contains("timed out");
        assertThat(store.allPendingApprovals()).isEmpty();
    }

    @Test
    void cancellingTheRunCancelsItsQuestion() throws Exception {
        Cancellation cancellation = new Cancellation();
        ApprovalRequest request = request(60_000);
        CompletableFuture<ApprovalDecision> decision = askInBackground(request, cancellation);

        cancellation.cancel();

        assertThat(decision.get(5, TimeUnit.SECONDS).status()).isEqualTo(ApprovalStatus.CANCELLED);
        assertThatThrownBy(() -> gate.answer("op", request.id(), ApprovalDecision.approved(null), null))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already cancelled");
    }

    @Test
    void aReplayedIdempotencyKeyGetsTheSameAnswerAndAnotherAnswerIsAConflict() throws Exception {
        ApprovalRequest request = request(60_000);
        CompletableFuture<ApprovalDecision> decision = askInBackground(request, new Cancellation());

        Approval first = gate.answer("op", request.id(), ApprovalDecision.denied("no"), "key-1");
        Approval replay = gate.answer("op", request.id(), ApprovalDecision.approved(null), "key-1");

        assertThat(replay).isEqualTo(first);
        assertThat(replay.status()).isEqualTo(ApprovalStatus.DENIED);
        assertThat(decision.get(5, TimeUnit.SECONDS).status()).isEqualTo(ApprovalStatus.DENIED);
        assertThatThrownBy(() -> gate.answer("op", request.id(), ApprovalDecision.approved(null), "key-2"))
                .isInstanceOf(ConflictException.class);
        assertThat(seen).extracting(Event::name).filteredOn("approval:response"::equals).hasSize(1);
    }

    @Test
    void anotherOwnerCannotSeeOrAnswerTheQuestion() {
        ApprovalRequest request = request(60_000);
        askInBackground(request, new Cancellation());

        assertThat(gate.pending("someone-else", "s")).isEmpty();
        assertThatThrownBy(() -> gate.answer("someone-else", request.id(), ApprovalDecision.approved(null), null))
                .isInstanceOf(NotFoundException.class);
        gate.answer("op", request.id(), ApprovalDecision.denied("cleanup"), null);
    }

    @Test
    void rememberingAnAnswerStoresItForTheAgentsTool() throws Exception {
        ApprovalRequest request = request(60_000);
        CompletableFuture<ApprovalDecision> decision = askInBackground(request, new Cancellation());

        gate.answer("op", request.id(), new ApprovalDecision(ApprovalStatus.APPROVED, null, null, true), null);

        decision.get(5, TimeUnit.SECONDS);
        assertThat(gate.remembered("op", "default", "write_file")).contains(ApprovalStatus.APPROVED);
        assertThat(((EventPayload.ApprovalResponded) seen.getLast().payload()).rememberChoice()).isTrue();
    }

    @Test
    void aQuestionLeftByAStoppedServerStaysPendingAndItsAnswerGoesToTheResumeHandler() throws Exception {
        ApprovalRequest request = request(60_000);
        Thread asker = Thread.startVirtualThread(() -> gate.ask(request, new Cancellation()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.pending("op", "s").isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        gate.close();
        asker.interrupt();
        asker.join(5000);
        assertThat(store.allPendingApprovals()).extracting(Approval::id).containsExactly(request.id());

        ApprovalGate restarted = new ApprovalGate(store, events, Clock.systemUTC());
        List<Approval> resumed = new CopyOnWriteArrayList<>();
        restarted.onAnswerWithoutWaiter(resumed::add);
        restarted.recover();
        restarted.answer("op", request.id(), ApprovalDecision.approved(null), null);

        assertThat(resumed).extracting(Approval::id).containsExactly(request.id());
        assertThat(resumed.getFirst().status()).isEqualTo(ApprovalStatus.APPROVED);
        restarted.close();
    }

    @Test
    void afterARestartAQuestionWhoseTimeHasPassedIsDenied() throws Exception {
        ApprovalRequest old = new ApprovalRequest(Ids.next("apr"), ApprovalType.TOOL, "op", "s", "run_1", "default",
                "write_file", "call_1", "{}", "May it write?", Map.of(), 1000, Instant.now().minusSeconds(60));
        store.saveApproval(old);
        List<Approval> resumed = new CopyOnWriteArrayList<>();
        gate.onAnswerWithoutWaiter(resumed::add);

        gate.recover();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (resumed.isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(resumed.getFirst().status()).isEqualTo(ApprovalStatus.DENIED);
        assertThat(resumed.getFirst().decision().reason()).contains("timed out");
    }
}
