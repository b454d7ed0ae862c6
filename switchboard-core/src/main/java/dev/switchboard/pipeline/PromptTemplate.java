package dev.switchboard.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step's prompt with placeholders: {@code {{input.<name>}}} (a value given at the start),
 * {@code {{steps.<id>.output}}} (the answer of an earlier step), and in a {@code foreach} step {@code {{item}}}
 * and {@code {{index}}} (the current plan item and its number, from 1).
 */
public final class PromptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");
    private static final Pattern STEP_OUTPUT = Pattern.compile("steps\\.([^.]+)\\.output");
    private static final Pattern INPUT = Pattern.compile("input\\.(.+)");

    private PromptTemplate() {
    }

    /** What a placeholder refers to. */
    public sealed interface Reference {
        record Input(String name) implements Reference {
        }

        record StepOutput(String stepId) implements Reference {
        }

        record Item() implements Reference {
        }

        record Index() implements Reference {
        }
    }

    /**
     * The references of the template's placeholders, in order.
     *
     * @throws IllegalArgumentException naming the first placeholder that refers to nothing known
     */
    public static List<Reference> references(String template) {
        List<Reference> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            out.add(reference(m.group(1)));
        }
        return out;
    }

    /** The template with each placeholder replaced by what {@code values} gives for its reference. */
    public static String render(String template, Function<Reference, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.apply(reference(m.group(1)));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Parses a {@code foreach} source: {@code steps.<id>} or {@code input.<name>}; null when it is neither. */
    public static Reference source(String foreach) {
        if (foreach.startsWith("steps.") && foreach.length() > "steps.".length()
                && !foreach.substring("steps.".length()).contains(".")) {
            return new Reference.StepOutput(foreach.substring("steps.".length()));
        }
        Matcher input = INPUT.matcher(foreach);
        return input.matches() ? new Reference.Input(input.group(1)) : null;
    }

    private static Reference reference(String name) {
        if (name.equals("item")) {
            return new Reference.Item();
        }
        if (name.equals("index")) {
            return new Reference.Index();
        }
        Matcher step = STEP_OUTPUT.matcher(name);
        if (step.matches()) {
            return new Reference.StepOutput(step.group(1));
        }
        Matcher input = INPUT.matcher(name);
        if (input.matches()) {
            return new Reference.Input(input.group(1));
        }
        throw new IllegalArgumentException("the placeholder {{" + name + "}} refers to nothing: use {{input.<name>}}, "
                + "{{steps.<id>.output}}, {{item}} or {{index}}");
    }
}
