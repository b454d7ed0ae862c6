package dev.switchboard.hook;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A test on the trigger's payload: the value at {@code field} (a dotted path such as {@code payload.toolName})
 * compared with {@code value}. A missing field fails every operator.
 *
 * @param value a string, number or boolean; a list for {@code in}; a regular expression for {@code matches}
 */
public record HookCondition(String field, Operator operator, Object value) {

    /** How the field's value is compared. */
    public enum Operator {
        EQUALS, CONTAINS, MATCHES, GT, LT, IN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Operator> of(String wire) {
            return Arrays.stream(values()).filter(o -> o.wireName().equals(wire)).findFirst();
        }
    }

    public boolean test(Map<String, Object> payload) {
        Object actual = at(payload, field);
        if (actual == null) {
            return false;
        }
        return switch (operator) {
            case EQUALS -> same(actual, value);
            case CONTAINS -> actual instanceof List<?> list ? list.stream().anyMatch(v -> same(v, value))
                    : String.valueOf(actual).contains(String.valueOf(value));
            case MATCHES -> Pattern.compile(String.valueOf(value)).matcher(String.valueOf(actual)).find();
            case GT -> compare(actual, value) > 0;
            case LT -> compare(actual, value) < 0;
            case IN -> value instanceof List<?> list && list.stream().anyMatch(v -> same(actual, v));
        };
    }

    /** The value at a dotted path, or null. */
    static Object at(Map<String, Object> payload, String path) {
        Object current = payload;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(String.valueOf(a), String.valueOf(b));
    }

    /** Numbers compare as numbers; anything else as text. */
    private static int compare(Object actual, Object expected) {
        Double a = number(actual);
        Double b = number(expected);
        if (a != null && b != null) {
            return Double.compare(a, b);
        }
        return String.valueOf(actual).compareTo(String.valueOf(expected));
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.valueOf(String.valueOf(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
