package dev.switchboard.mcp.sdk;

import dev.switchboard.failure.InvalidInputException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Fills {@code $VAR} and {@code ${VAR}} references in declared env and header values from the server's environment,
 * and {@code $VAULT:name} and {@code ${VAULT:name}} references from the vault, so secrets stay out of agent files.
 * {@code $$} stands for a literal {@code $}; a {@code $} not followed by a name is kept as it is. Values filled in
 * are never scanned again, so a secret containing {@code $} stays as it is.
 */
final class EnvReferences {

    private EnvReferences() {
    }

    /**
     * @param field the declaration field the value comes from, named in the error
     * @throws InvalidInputException when a referenced variable is not set
     */
    static String resolve(String value, Map<String, String> env, String field) {
        return resolve(value, env, field, name -> {
            throw new InvalidInputException(field, "$VAULT:" + name + " in " + field + " cannot be resolved here");
        });
    }

    /**
     * @param vault from an entry name to its value; throws naming the reference when it cannot give one
     * @throws InvalidInputException when a referenced variable is not set or a reference is malformed
     */
    static String resolve(String value, Map<String, String> env, String field, UnaryOperator<String> vault) {
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
            if (value.startsWith("VAULT:", i + 1)) {
                int end = i + 7;
                while (end < value.length() && isVaultNamePart(value.charAt(end))) {
                    end++;
                }
                out.append(vault.apply(vaultName(value.substring(i + 7, end), field)));
                i = end;
            } else if (value.startsWith("{VAULT:", i + 1)) {
                int close = value.indexOf('}', i + 8);
                if (close < 0) {
                    throw new InvalidInputException(field, "Malformed vault reference in " + field
                            + ": use $VAULT:name or ${VAULT:name}");
                }
                out.append(vault.apply(vaultName(value.substring(i + 8, close), field)));
                i = close + 1;
            } else if (next == '$') {
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

    private static String vaultName(String name, String field) {
        if (name.isEmpty() || name.length() > 100 || !name.chars().allMatch(ch -> isVaultNamePart((char) ch))) {
            throw new InvalidInputException(field, "Malformed vault reference in " + field + ": a name is 1..100 "
                    + "letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    private static boolean isVaultNamePart(char c) {
        return isNamePart(c) || c == '.' || c == '-';
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
