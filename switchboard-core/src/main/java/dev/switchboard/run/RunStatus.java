package dev.switchboard.run;

/** Where a run stands. {@code INTERRUPTED}: the server stopped while it was running. */
public enum RunStatus {
    RUNNING, COMPLETED, CANCELLED, FAILED, INTERRUPTED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
