package dev.switchboard.approval;

import java.util.Locale;

/** Where an approval request stands. */
public enum ApprovalStatus {
    PENDING, APPROVED, DENIED, CANCELLED;

    /** The lower-case name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApprovalStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
