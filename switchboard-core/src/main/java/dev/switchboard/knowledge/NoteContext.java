package dev.switchboard.knowledge;

/** Whether a note goes into every run's system prompt or is found only by searching (seed 000). */
public enum NoteContext {
    AUTO("auto"),
    SEARCH_ONLY("search-only");

    private final String wireName;

    NoteContext(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The context named {@code auto} or {@code search-only}; null for anything else. */
    public static NoteContext of(String name) {
        for (NoteContext context : values()) {
            if (context.wireName.equals(name)) {
                return context;
            }
        }
        return null;
    }
}
