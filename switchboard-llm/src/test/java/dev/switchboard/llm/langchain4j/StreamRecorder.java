package dev.switchboard.llm.langchain4j;

import dev.switchboard.llm.LlmListener;

/** Collects what the adapter streamed to its listener. */
final class StreamRecorder implements LlmListener {

    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    volatile int textDeltas;

    @Override
    public synchronized void onText(String delta) {
        text.append(delta);
        textDeltas++;
    }

    @Override
    public synchronized void onReasoning(String delta) {
        reasoning.append(delta);
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized String reasoning() {
        return reasoning.toString();
    }
}
