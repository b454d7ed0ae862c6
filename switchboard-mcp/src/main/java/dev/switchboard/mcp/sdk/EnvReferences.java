package dev.switchboard.mcp.sdk;

import dev.switchboard.failure.InvalidInputException;
import java.util.Map;

/**
 * Fills {@code $VAR} and {@code ${VAR}} references in declared env and header values from the server's environment,
 * so secrets stay out of agent files. {@code $$} stands for a literal {@code $}; a {@code $} not followed by a name
 * is kept as it is.
 */
final class EnvReferences {

    private EnvReferences() {
    }

    /**
     * @param field the declaration field the value comes from, named in the error
     * @throws InvalidInputException when a referenced variable is not set
     */
    static String resolve(String value, Map<String, String> env, String field) {
        if (value == null || value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 == value.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = value.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int close = value.indexOf('}', i + 2);
                String name = close < 0 ? "" : value.substring(i + 2, close);
                if (!isName(name)) {
                    throw new InvalidInputException(field, "Malformed variable reference in " + field
                            + ": use $NAME or ${NAME}");
                }
                out.append(lookup(name, env, field));
                i = close + 1;
            } else if (isNameStart(next)) {
                int end = i + 1;
                while (end < value.length() && isNamePart(value.charAt(end))) {
                    end++;
                }
                out.append(lookup(value.substring(i + 1, end), env, field));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String lookup(String name, Map<String, String> env, String field) {
        String value = env.get(name);
        if (value == null) {
            throw new InvalidInputException(field, "Environment variable '" + name + "' is not set (referenced by "
                    + field + ")");
        }
        return value;
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || !isNameStart(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(ch -> isNamePart((char) ch));
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
