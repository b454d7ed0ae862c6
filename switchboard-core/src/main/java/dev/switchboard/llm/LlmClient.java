package dev.switchboard.llm;

/** The port to a language model provider. Implementations retry transient failures themselves. */
public interface LlmClient {

    /**
     * Streams one model call, reporting deltas to the listener, and returns the whole response.
     * When {@code cancellation} fires, the HTTP call to the provider is closed and this method throws
     * {@link java.util.concurrent.CancellationException}.
     *
     * @throws LlmException when the provider fails after retries
     */
    LlmResponse stream(LlmRequest request, LlmListener listener, Cancellation cancellation);
}
