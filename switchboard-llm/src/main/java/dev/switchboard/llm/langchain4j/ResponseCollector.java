package dev.switchboard.llm.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.switchboard.llm.LlmListener;
import java.io.EOFException;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards one attempt's deltas to the listener and holds its outcome. The first outcome wins; once settled
 * (complete, failed, cancelled or timed out) nothing more reaches the listener.
 */
final class ResponseCollector implements StreamingChatResponseHandler {

    private final LlmListener listener;
    private final CompletableFuture<ChatResponse> outcome = new CompletableFuture<>();
    private volatile boolean streamed;

    ResponseCollector(LlmListener listener) {
        this.listener = listener;
    }

    CompletableFuture<ChatResponse> outcome() {
        return outcome;
    }

    /** Whether any delta reached the listener; a call that streamed must not be retried, or text would repeat. */
    boolean streamed() {
        return streamed;
    }

    @Override
    public void onPartialResponse(String delta) {
        if (!outcome.isDone() && delta != null && !delta.isEmpty()) {
            streamed = true;
            listener.onText(delta);
        }
    }

    @Override
    public void onPartialThinking(PartialThinking thinking) {
        if (!outcome.isDone() && thinking.text() != null && !thinking.text().isEmpty()) {
            streamed = true;
            listener.onReasoning(thinking.text());
        }
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        outcome.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        outcome.completeExceptionally(error);
    }

    /** The stream closed; if no final event came, the response was cut off. */
    void streamEnded() {
        outcome.completeExceptionally(new EOFException("the stream ended before the response was complete"));
    }
}
