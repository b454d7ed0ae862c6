package dev.switchboard.pipeline;

import java.util.Locale;

/** Where a pipeline run stands. Only {@code RUNNING} has a step in progress (or about to start). */
public enum PipelineStatus {
    RUNNING, PAUSED, AWAITING_APPROVAL, COMPLETED, FAILED, STOPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PipelineStatus of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
