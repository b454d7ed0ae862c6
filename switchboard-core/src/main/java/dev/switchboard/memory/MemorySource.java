package dev.switchboard.memory;

import java.util.Locale;

/** Who wrote a memory: the person (through the API or by asking the agent) or the system on its own. */
public enum MemorySource {
    USER,
    SYSTEM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source named {@code user} or {@code system}; null for anything else. */
    public static MemorySource of(String name) {
        for (MemorySource source : values()) {
            if (source.wireName().equals(name)) {
                return source;
            }
        }
        return null;
    }
}
