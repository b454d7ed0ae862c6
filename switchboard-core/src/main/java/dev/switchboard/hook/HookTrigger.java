package dev.switchboard.hook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What sets a hook off. */
public enum HookTrigger {
    /** A user message started a run. */
    MESSAGE_RECEIVED,
    /** A run started. */
    AGENT_STARTED,
    /** A run ended normally. */
    AGENT_COMPLETED,
    /** A run ended with an error or was interrupted. */
    AGENT_FAILED,
    /** A tool call returned its result. */
    TOOL_EXECUTED,
    /** A run waits for a person's answer. */
    APPROVAL_REQUESTED,
    /** A cron schedule; the scheduler calls {@code Hooks.fire}. */
    SCHEDULE,
    /** A POST to {@code /api/hooks/incoming/{id}} carrying the hook's secret. */
    WEBHOOK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HookTrigger> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(wire)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(HookTrigger::wireName).toList());
    }
}
