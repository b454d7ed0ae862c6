package dev.switchboard.user;

import dev.switchboard.failure.InvalidInputException;
import java.util.Locale;

/** What a user may do: an admin also manages users, reads the audit log and changes server-wide settings. */
public enum Role {
    ADMIN,
    USER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code value} ({@code admin} or {@code user}); 400 naming {@code field} otherwise. */
    public static Role parse(String value, String field) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        throw new InvalidInputException(field, field + " must be 'admin' or 'user'");
    }
}
