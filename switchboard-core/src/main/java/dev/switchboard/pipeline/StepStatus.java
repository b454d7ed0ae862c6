package dev.switchboard.pipeline;

import java.util.Locale;

/** Where one step, or one item of a step's plan, stands. */
public enum StepStatus {
    PENDING, RUNNING, COMPLETED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepStatus of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
