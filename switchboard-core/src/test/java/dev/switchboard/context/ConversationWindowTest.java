package dev.switchboard.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.content.Content;
import dev.switchboard.event.EventPayload;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationWindowTest {

    static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    /** Keeps summaries in a list, newest last. */
    static final class ListSummaries implements ContextSummaryStore {
        final List<ContextSummary> saved = new ArrayList<>();

        @Override
        public void save(ContextSummary summary) {
            saved.add(summary);
        }

        @Override
        public Optional<ContextSummary> latest(String sessionId) {
            return saved.isEmpty() ? Optional.empty() : Optional.of(saved.getLast());
        }
    }

    final ListSummaries summaries = new ListSummaries();
    final List<EventPayload> events = new ArrayList<>();
    final List<String> transcripts = new ArrayList<>();

    ConversationWindow window(ContextSettings settings) {
        return new ConversationWindow(settings, TokenCounter.ESTIMATE, summaries, Clock.fixed(AT, ZoneOffset.UTC));
    }

    ConversationWindow.Target target(int window) {
        return new ConversationWindow.Target("alice", "s1", "m", window, (prompt, transcript) -> {
            transcripts.add(transcript);
            return "The user is planning a trip.";
        }, events::add);
    }

    static List<Message> turns(int count, int charsEach) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(Message.user("u" + i, "s1", Content.text("question " + i + " " + "q".repeat(charsEach)), AT));
            messages.add(new Message("a" + i, "s1", "r" + i, Role.ASSISTANT, Content.text("answer " + i + " "
                    + "a".repeat(charsEach)), null, List.of(), null, null, null, null, null, null, null, AT));
        }
        return messages;
    }

    @Test
    void aShortConversationIsSentWholeAndNothingIsSummarized() {
        List<Message> conversation = turns(3, 100);

        ConversationWindow.Fitted fitted = window(ContextSettings.defaults()).fit(target(10_000), "sys", conversation);

        assertThat(fitted.messages()).isEqualTo(conversation);
        assertThat(fitted.systemPrompt()).isEqualTo("sys");
        assertThat(events).isEmpty();
        assertThat(summaries.saved).isEmpty();
    }

    @Test
    void aConversationPastTheThresholdIsSummarizedAndFitsTheWindow() {
        List<Message> conversation = turns(20, 400);
        ConversationWindow window = window(ContextSettings.defaults());
        int before = window.count("m", "sys", conversation);
        assertThat(before).isGreaterThan(4000);

        ConversationWindow.Fitted fitted = window.fit(target(4000), "sys", conversation);

        assertThat(fitted.tokens()).isLessThanOrEqualTo(4000 * 4 / 10 + 50);
        assertThat(fitted.systemPrompt()).isEqualTo("sys\n\n## Summary of the earlier conversation\n"
                + "The user is planning a trip.");
        assertThat(fitted.messages().getFirst().role()).isEqualTo(Role.USER);
        assertThat(fitted.messages().getLast()).isEqualTo(conversation.getLast());
        assertThat(transcripts).singleElement().asString().contains("User: question 0").contains("Assistant: answer 0");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(EventPayload.ContextCompacting.class, e -> {
            assertThat(e.tokens()).isEqualTo(before);
            assertThat(e.window()).isEqualTo(4000);
        });
        int dropped = conversation.size() - fitted.messages().size();
        assertThat(events.get(1)).isInstanceOfSatisfying(EventPayload.ContextCompacted.class, e -> {
            assertThat(e.summarizedMessages()).isEqualTo(dropped);
            assertThat(e.tokensAfter()).isEqualTo(fitted.tokens());
        });
        assertThat(summaries.saved).singleElement().satisfies(s -> {
            assertThat(s.throughMessageId()).isEqualTo(conversation.get(dropped - 1).id());
            assertThat(s.summarizedMessages()).isEqualTo(dropped);
        });
    }

    @Test
    void theNextRequestUsesTheStoredSummaryWithoutAnotherModelCall() {
        List<Message> conversation = new ArrayList<>(turns(20, 400));
        ConversationWindow window = window(ContextSettings.defaults());
        ConversationWindow.Fitted first = window.fit(target(4000), "sys", conversation);
        conversation.addAll(turns(1, 10).stream().map(m -> new Message(m.id() + "-late", m.sessionId(), m.runId(),
                m.role(), m.content(), null, List.of(), null, null, null, null, null, null, null, AT)).toList());

        ConversationWindow.Fitted second = window.fit(target(4000), "sys", conversation);

        assertThat(transcripts).hasSize(1);
        assertThat(second.systemPrompt()).isEqualTo(first.systemPrompt());
        assertThat(second.messages()).hasSize(first.messages().size() + 2);
    }

    @Test
    void oldLongToolOutputsArePrunedInTheRequestOnly() {
        String longOutput = "o".repeat(5000);
        List<Message> conversation = new ArrayList<>();
        conversation.add(Message.user("u0", "s1", Content.text("read the file"), AT));
        conversation.add(new Message("a0", "s1", "r0", Role.ASSISTANT, List.of(), null,
                List.of(new ToolCall("c0", "read_file", "{}")), null, null, null, null, null, null, null, AT));
        conversation.add(new Message("t0", "s1", "r0", Role.TOOL, Content.text(longOutput), null, List.of(), "c0",
                "read_file", true, null, null, null, null, AT));
        conversation.addAll(turns(3, 10));
        ContextSettings keepOneTurn = new ContextSettings(2000, 0.8, 0.4, 1, 2000, 32_000);

        ConversationWindow.Fitted fitted = window(keepOneTurn).fit(target(100_000), "sys", conversation);

        assertThat(Content.plainText(fitted.messages().get(2).content()))
                .isEqualTo("[Output of read_file (5000 characters) left out to save context; run the tool again if "
                        + "it is needed]");
        assertThat(fitted.messages().get(2).toolCallId()).isEqualTo("c0");
        assertThat(Content.plainText(conversation.get(2).content())).isEqualTo(longOutput);

        ConversationWindow.Fitted recentKept = window(new ContextSettings(2000, 0.8, 0.4, 5, 2000, 32_000))
                .fit(target(100_000), "sys", conversation);
        assertThat(Content.plainText(recentKept.messages().get(2).content())).isEqualTo(longOutput);
    }

    @Test
    void aFailedSummaryLeavesTheRequestWhole() {
        List<Message> conversation = turns(20, 400);
        ConversationWindow.Target failing = new ConversationWindow.Target("alice", "s1", "m", 4000,
                (prompt, transcript) -> {
                    throw new IllegalStateException("provider down");
                }, events::add);

        ConversationWindow.Fitted fitted = window(ContextSettings.defaults()).fit(failing, "sys", conversation);

        assertThat(fitted.messages()).isEqualTo(conversation);
        assertThat(summaries.saved).isEmpty();
        assertThat(events).singleElement().isInstanceOf(EventPayload.ContextCompacting.class);
    }
}
