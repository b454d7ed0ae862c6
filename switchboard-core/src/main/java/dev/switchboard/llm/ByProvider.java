package dev.switchboard.llm;

import java.util.Map;

/** The one {@link LlmClient} the engine sees: calls go to the client of their provider, else to the default one. */
public final class ByProvider implements LlmClient {

    private final Map<String, LlmClient> byProvider;
    private final LlmClient otherwise;

    public ByProvider(Map<String, LlmClient> byProvider, LlmClient otherwise) {
        this.byProvider = Map.copyOf(byProvider);
        this.otherwise = otherwise;
    }

    @Override
    public LlmResponse stream(LlmRequest request, LlmListener listener, Cancellation cancellation) {
        return byProvider.getOrDefault(request.settings().provider(), otherwise)
                .stream(request, listener, cancellation);
    }
}
