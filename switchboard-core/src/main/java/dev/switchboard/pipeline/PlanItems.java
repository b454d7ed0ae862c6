package dev.switchboard.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the items of a plan out of a step's answer: its list lines, or else its non-blank lines. */
public final class PlanItems {

    /** A bullet ({@code -}, {@code *}, {@code •}) or a number ({@code 1.}, {@code 2)}) that starts a list line. */
    private static final Pattern LIST_LINE = Pattern.compile("^\\s*(?:[-*•]|\\d{1,4}[.)])\\s+(.+?)\\s*$");

    private PlanItems() {
    }

    public static List<String> parse(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> listed = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            Matcher m = LIST_LINE.matcher(line);
            if (m.matches()) {
                listed.add(m.group(1));
            }
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        // a model that writes "Here is the plan:" before its list means the list
        return listed.isEmpty() ? lines : listed;
    }
}
