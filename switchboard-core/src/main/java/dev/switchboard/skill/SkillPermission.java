package dev.switchboard.skill;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * An administrator's override (seed 002) of what happens when an agent calls a tool one of its skills declares.
 *
 * @param action a tool name the skill declares, or {@link #ALL_ACTIONS} for every tool it declares
 * @param updatedBy the user who set it
 */
public record SkillPermission(String skillId, String action, Level level, String updatedBy, Instant updatedAt) {

    /** The action that stands for every tool of the skill; an override naming the tool itself wins over it. */
    public static final String ALL_ACTIONS = "*";

    /** What the override does to the call: run it without asking, ask a person each time, or refuse it. */
    public enum Level {
        ALLOW, ASK, DENY;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Level> of(String wire) {
            for (Level level : values()) {
                if (level.wire().equals(wire)) {
                    return Optional.of(level);
                }
            }
            return Optional.empty();
        }
    }
}
