package dev.switchboard.testkit;

/** The provider protocol a request arrived on. */
public enum Wire {
    OPENAI,
    ANTHROPIC
}
