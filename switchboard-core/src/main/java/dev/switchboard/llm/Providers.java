package dev.switchboard.llm;

import java.util.List;

/** The LLM providers Switchboard can call. */
public final class Providers {

    public static final String OPENAI = "openai";
    public static final String OPENAI_COMPATIBLE = "openai-compatible";
    public static final String ANTHROPIC = "anthropic";
    public static final String GOOGLE = "google";
    public static final String OLLAMA = "ollama";

    public static final List<String> KNOWN = List.of(OPENAI, OPENAI_COMPATIBLE, ANTHROPIC, GOOGLE, OLLAMA);

    private Providers() {
    }
}
