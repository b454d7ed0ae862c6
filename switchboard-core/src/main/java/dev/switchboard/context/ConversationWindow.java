package dev.switchboard.context;

import dev.switchboard.Ids;
import dev.switchboard.content.Content;
import dev.switchboard.event.EventPayload;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a model request within the model's window: old, long tool outputs are replaced by a placeholder, and when the
 * request still passes {@link ContextSettings#compactAt()} of the window, the older turns are summarized by one model
 * call and the summary is sent in their place, now and in later runs. Only the request changes: the stored history is
 * never rewritten; the summary is stored beside the session.
 */
public final class ConversationWindow {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationWindow.class);

    /** Tokens a provider adds around each message (role, separators); a little generous on purpose. */
    static final int PER_MESSAGE_OVERHEAD = 4;

    /** The system prompt of the summarizing call; tests script the fake model on it. */
    public static final String SUMMARIZER_PROMPT = "You summarize conversations between a user and an AI assistant "
            + "so the assistant can continue them without the full transcript.";

    static final String SUMMARY_TITLE = "Summary of the earlier conversation";

    private final ContextSettings settings;
    private final TokenCounter counter;
    private final ContextSummaryStore summaries;
    private final Clock clock;

    public ConversationWindow(ContextSettings settings, TokenCounter counter, ContextSummaryStore summaries,
            Clock clock) {
        this.settings = settings;
        this.counter = counter;
        this.summaries = summaries;
        this.clock = clock;
    }

    /** Writes a summary of a transcript: one model call with the given system prompt and user text. */
    @FunctionalInterface
    public interface Summarizer {
        String summarize(String systemPrompt, String transcript);
    }

    /**
     * The session and model a request is fitted for.
     *
     * @param window the model's input window in tokens
     * @param publish where {@code context:*} events go
     */
    public record Target(String ownerId, String sessionId, String model, int window, Summarizer summarizer,
            Consumer<EventPayload> publish) {
    }

    /** What to send: the system prompt (with the summary, if any), the messages, and at most how many tokens. */
    public record Fitted(String systemPrompt, List<Message> messages, int tokens) {
    }

    /**
     * Fits {@code conversation} (the stored history as the model sees it, oldest first) to the target's window.
     * A summary that cannot be made (the model failed) leaves the request as large as it was.
     */
    public Fitted fit(Target target, String systemPrompt, List<Message> conversation) {
        Optional<ContextSummary> summary = summaries.latest(target.sessionId());
        List<Message> recent = conversation;
        int alreadySummarized = 0;
        if (summary.isPresent()) {
            int through = indexOf(conversation, summary.get().throughMessageId());
            if (through < 0) {
                // the history was reset or the message is gone: the summary no longer describes it
                summary = Optional.empty();
            } else {
                int from = through + 1;
                // results the repair added for interrupted calls belong to the summarized turn
                while (from < conversation.size() && conversation.get(from).role() == Role.TOOL) {
                    from++;
                }
                recent = conversation.subList(from, conversation.size());
                alreadySummarized = summary.get().summarizedMessages();
            }
        }
        List<Message> pruned = pruneToolOutputs(recent);
        String prompt = withSummary(systemPrompt, summary.map(ContextSummary::text).orElse(null));
        int bound = count(TokenCounter.UTF8_BOUND, target.model(), prompt, pruned);
        if (bound <= settings.compactAt() * target.window()) {
            // even counted as bytes the request fits: the tokenizer (and its tables) is not needed
            return new Fitted(prompt, pruned, bound);
        }
        int tokens = count(target.model(), prompt, pruned);
        if (tokens <= settings.compactAt() * target.window()) {
            return new Fitted(prompt, pruned, tokens);
        }
        int cut = cutIndex(target, pruned, prompt);
        if (cut <= 0) {
            LOG.warn("Session {}: the request ({} tokens) passes {}% of the window ({}) but its newest turn alone "
                    + "is too large to summarize around", target.sessionId(), tokens,
                    Math.round(settings.compactAt() * 100), target.window());
            return new Fitted(prompt, pruned, tokens);
        }
        String throughId = lastId(pruned, cut);
        if (throughId == null) {
            return new Fitted(prompt, pruned, tokens);
        }
        List<Message> older = recent.subList(0, cut);
        target.publish().accept(new EventPayload.ContextCompacting(tokens, target.window(), older.size()));
        String text;
        try {
            text = target.summarizer().summarize(SUMMARIZER_PROMPT,
                    instructions(summary.map(ContextSummary::text).orElse(null), older));
        } catch (RuntimeException e) {
            LOG.warn("Session {}: summarizing older turns failed, sending them whole: {}", target.sessionId(),
                    e.toString());
            return new Fitted(prompt, pruned, tokens);
        }
        if (text == null || text.isBlank()) {
            LOG.warn("Session {}: the model wrote an empty summary, sending the older turns whole",
                    target.sessionId());
            return new Fitted(prompt, pruned, tokens);
        }
        ContextSummary made = new ContextSummary(Ids.next("sum"), target.sessionId(), target.ownerId(), throughId,
                text.strip(), alreadySummarized + older.size(), tokens, clock.instant());
        summaries.save(made);
        List<Message> kept = pruned.subList(cut, pruned.size());
        String newPrompt = withSummary(systemPrompt, made.text());
        int after = count(target.model(), newPrompt, kept);
        target.publish().accept(new EventPayload.ContextCompacted(made.summarizedMessages(), tokens, after));
        return new Fitted(newPrompt, List.copyOf(kept), after);
    }

    /**
     * Where the verbatim part starts: the oldest user turn from which the rest fits {@code keepRecentShare} of the
     * window, or else the newest user turn; 0 when there is no user turn to cut at after the first message.
     */
    private int cutIndex(Target target, List<Message> messages, String prompt) {
        double keep = settings.keepRecentShare() * target.window() - counter.count(target.model(), prompt);
        int newestUserTurn = 0;
        int fitting = 0;
        int suffix = 0;
        for (int i = messages.size() - 1; i > 0; i--) {
            suffix += count(counter, target.model(), messages.get(i));
            Message message = messages.get(i);
            if (message.role() == Role.USER && message.id() != null) {
                if (newestUserTurn == 0) {
                    newestUserTurn = i;
                }
                if (suffix <= keep) {
                    fitting = i;
                }
            }
        }
        return fitting > 0 ? fitting : newestUserTurn;
    }

    private static String lastId(List<Message> messages, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (messages.get(i).id() != null) {
                return messages.get(i).id();
            }
        }
        return null;
    }

    /** Older tool results (before the last {@code toolOutputKeepTurns} user turns) that are long become a note. */
    List<Message> pruneToolOutputs(List<Message> messages) {
        int boundary = messages.size();
        int turns = 0;
        for (int i = messages.size() - 1; i >= 0 && turns < settings.toolOutputKeepTurns(); i--) {
            if (messages.get(i).role() == Role.USER) {
                turns++;
                boundary = i;
            }
        }
        if (turns < settings.toolOutputKeepTurns()) {
            return new ArrayList<>(messages);
        }
        List<Message> pruned = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String text = m.role() == Role.TOOL ? Content.plainText(m.content()) : null;
            if (i < boundary && text != null && text.length() > settings.toolOutputMaxChars()) {
                pruned.add(new Message(m.id(), m.sessionId(), m.runId(), m.role(), Content.text("[Output of "
                        + m.toolName() + " (" + text.length() + " characters) left out to save context; run the "
                        + "tool again if it is needed]"), m.reasoning(), m.toolCalls(), m.toolCallId(),
                        m.toolName(), m.success(), m.tokenUsage(), m.provider(), m.model(), m.estimatedCost(),
                        m.timestamp()));
            } else {
                pruned.add(m);
            }
        }
        return pruned;
    }

    /** The estimated size of a request: system prompt and every message. */
    public int count(String model, String systemPrompt, List<Message> messages) {
        return count(counter, model, systemPrompt, messages);
    }

    private static int count(TokenCounter counter, String model, String systemPrompt, List<Message> messages) {
        int total = counter.count(model, systemPrompt);
        for (Message message : messages) {
            total += count(counter, model, message);
        }
        return total;
    }

    private static int count(TokenCounter counter, String model, Message message) {
        int tokens = PER_MESSAGE_OVERHEAD + counter.count(model, Content.plainText(message.content()));
        for (ToolCall call : message.toolCalls()) {
            tokens += PER_MESSAGE_OVERHEAD + counter.count(model, call.name()) + counter.count(model,
                    call.arguments());
        }
        return tokens;
    }

    private static int indexOf(List<Message> messages, String id) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (id.equals(messages.get(i).id())) {
                return i;
            }
        }
        return -1;
    }

    static String withSummary(String systemPrompt, String summary) {
        if (summary == null) {
            return systemPrompt == null ? "" : systemPrompt;
        }
        String section = "## " + SUMMARY_TITLE + "\n" + summary;
        return systemPrompt == null || systemPrompt.isBlank() ? section : systemPrompt + "\n\n" + section;
    }

    /** The user text of the summarizing call: the earlier summary, then the turns as a plain transcript. */
    private String instructions(String previous, List<Message> older) {
        StringBuilder text = new StringBuilder("Summarize the conversation below in at most 300 words. Keep what the "
                + "assistant needs to continue: the user's goals and preferences, facts and decisions, names, numbers, "
                + "file paths, open questions and unfinished tasks. Write plain prose, no preamble.\n\n");
        if (previous != null) {
            text.append("Summary of what came before:\n").append(previous).append("\n\n");
        }
        text.append("Conversation:\n");
        for (Message m : older) {
            String body = Content.plainText(m.content());
            if (m.role() == Role.TOOL && body.length() > settings.toolOutputMaxChars()) {
                body = body.substring(0, settings.toolOutputMaxChars()) + " […]";
            }
            switch (m.role()) {
                case USER -> text.append("User: ").append(body).append('\n');
                case ASSISTANT -> {
                    if (!body.isBlank()) {
                        text.append("Assistant: ").append(body).append('\n');
                    }
                    for (ToolCall call : m.toolCalls()) {
                        text.append("Assistant called ").append(call.name()).append(' ').append(call.arguments())
                                .append('\n');
                    }
                }
                case TOOL -> text.append("Result of ").append(m.toolName()).append(": ").append(body).append('\n');
                default -> text.append(m.role()).append(": ").append(body).append('\n');
            }
        }
        return text.toString();
    }
}
