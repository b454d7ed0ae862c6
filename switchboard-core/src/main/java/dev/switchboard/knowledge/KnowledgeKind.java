package dev.switchboard.knowledge;

/** The kinds of text the retrieval engine indexes. */
public enum KnowledgeKind {
    MEMORY("memory"),
    NOTE("note");

    private final String key;

    KnowledgeKind(String key) {
        this.key = key;
    }

    /** The value stored in the index's {@code kind} column. */
    public String key() {
        return key;
    }
}
