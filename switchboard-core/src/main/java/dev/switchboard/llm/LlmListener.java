package dev.switchboard.llm;

/** Receives a model call's output as it streams. Called from the calling thread or the adapter's. */
public interface LlmListener {

    void onText(String delta);

    void onReasoning(String delta);
}
