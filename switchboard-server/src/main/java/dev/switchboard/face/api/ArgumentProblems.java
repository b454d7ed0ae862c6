package dev.switchboard.face.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names the argument a schema problem is about, for the {@code field} of a 400 answer. */
final class ArgumentProblems {

    private static final Pattern REQUIRED = Pattern.compile("required property '([^']+)'");

    private ArgumentProblems() {
    }

    /**
     * {@code arguments.<path>} from a problem such as {@code $.path.to: ...} or {@code /path/to: ...}; a missing
     * required property is named by the property.
     */
    static String field(String problem) {
        int colon = problem.indexOf(": ");
        String location = colon < 0 ? "" : problem.substring(0, colon);
        String path = location.startsWith("$") ? location.substring(1).replaceFirst("^\\.", "")
                : location.startsWith("/") ? location.substring(1).replace('/', '.') : "";
        Matcher required = REQUIRED.matcher(problem);
        if (required.find()) {
            path = path.isEmpty() ? required.group(1) : path + "." + required.group(1);
        }
        return path.isEmpty() ? "arguments" : "arguments." + path;
    }
}
