package dev.switchboard.session;

/** Who wrote a message. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL;

    /** The lower-case wire name. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
