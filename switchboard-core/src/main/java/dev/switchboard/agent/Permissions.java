package dev.switchboard.agent;

import java.util.List;

/**
 * When a tool call needs a person's approval.
 *
 * @param mode {@code manual} (ask), {@code auto-approve} or {@code auto-deny}
 * @param timeoutMs how long to wait for an answer
 */
public record Permissions(String mode, int timeoutMs, List<String> alwaysAllow, List<String> alwaysDeny) {

    public static final Permissions DEFAULT = new Permissions("manual", 120_000, List.of(), List.of());

    public Permissions {
        alwaysAllow = alwaysAllow == null ? List.of() : List.copyOf(alwaysAllow);
        alwaysDeny = alwaysDeny == null ? List.of() : List.copyOf(alwaysDeny);
    }
}
