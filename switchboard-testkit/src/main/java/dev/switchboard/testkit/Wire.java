package dev.switchboard.testkit;

/** The provider protocol a request arrived on. */
public enum Wire {
    /** OpenAI Chat Completions: {@code POST /v1/chat/completions}. */
    OPENAI,
    /** Anthropic Messages: {@code POST /v1/messages}. */
    ANTHROPIC,
    /** Google AI Gemini: {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse} or {@code :generateContent}. */
    GEMINI,
    /** Ollama's native chat API: {@code POST /api/chat}, streamed as newline-delimited JSON. */
    OLLAMA
}
