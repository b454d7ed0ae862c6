package dev.switchboard.skill;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks through a skill's text before it is stored for what a person reviewing it would not see (invisible
 * characters, HTML comments, encoded blobs) and for text written to take over the agent that loads it. A skill's
 * instructions go to the model verbatim, so whoever writes one writes part of the agent's prompt.
 */
public final class SkillScan {

    /** How bad a finding is: {@code ERROR} rejects the skill, {@code WARNING} is reported with it. */
    public enum Severity {
        ERROR, WARNING
    }

    /**
     * One thing found.
     *
     * @param code a stable name such as {@code zero-width-character}
     * @param line the 1-based line it is on
     */
    public record Finding(Severity severity, String code, String message, int line) {
    }

    private record Rule(Severity severity, String code, String message, Pattern pattern) {
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final List<Rule> RULES = List.of(
            new Rule(Severity.ERROR, "html-comment", "an HTML comment, which rendered Markdown hides from a reviewer",
                    Pattern.compile("<!--[\\s\\S]*?(-->|$)")),
            new Rule(Severity.ERROR, "data-url", "a data: URL, which carries encoded content inside the instructions",
                    Pattern.compile("data:[\\w.+-]+/[\\w.+-]+(;[\\w=.+-]+)*;base64,", FLAGS)),
            new Rule(Severity.ERROR, "base64-blob", "a long base64 blob, which can hide instructions from a reviewer",
                    Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{160,}={0,2}")),
            new Rule(Severity.ERROR, "override-instructions", "text telling the model to ignore its instructions",
                    Pattern.compile("\\b(ignore|disregard|forget|override)\\s+(all\\s+|any\\s+|the\\s+|your\\s+)*"
                            + "(previous|prior|above|earlier|preceding|system|original|existing)\\s+"
                            + "(instructions|prompts?|rules|directions|guidelines|messages)", FLAGS)),
            new Rule(Severity.ERROR, "system-prompt-exfiltration",
                    "text asking the model to reveal its system prompt or hidden instructions",
                    Pattern.compile("\\b(reveal|print|repeat|output|show|leak|send|disclose|dump|copy)\\s+"
                            + "(me\\s+)?(your|the|its|all)\\s+(full\\s+|entire\\s+|exact\\s+)?(system\\s+prompt|"
                            + "hidden\\s+instructions|initial\\s+instructions|instructions\\s+above)", FLAGS)),
            new Rule(Severity.ERROR, "conceal-from-user", "text telling the model to hide what it does from the user",
                    Pattern.compile("\\b(do\\s+not|don'?t|never)\\s+(tell|inform|mention\\s+(this\\s+)?to|reveal\\s+"
                            + "(this\\s+)?to|let)\\s+the\\s+user", FLAGS)),
            new Rule(Severity.WARNING, "role-reassignment", "text that reassigns the model's identity",
                    Pattern.compile("\\byou\\s+are\\s+now\\s+(a|an|the|in|no\\s+longer|DAN|unrestricted|jailbroken)\\b",
                            FLAGS)),
            new Rule(Severity.WARNING, "tool-call-coercion",
                    "text pressing the model to call tools without the user asking or approving",
                    Pattern.compile("\\b((always|immediately|automatically|must)\\s+(call|run|execute|invoke|use)\\s+"
                            + "(the\\s+)?[\\w-]+\\s+tool|without\\s+(asking|confirmation|approval|telling))", FLAGS)),
            new Rule(Severity.WARNING, "fake-role-marker",
                    "a chat role marker that imitates a system or assistant message",
                    Pattern.compile("(<\\|?(im_start|system|assistant)\\|?>|\\[/?(system|INST)]|^#{1,6}\\s*system\\s*:?\\s*$"
                            + "|^\\s*(system|assistant)\\s*:\\s)", FLAGS | Pattern.MULTILINE)),
            new Rule(Severity.WARNING, "exfiltration-url",
                    "text sending conversation data or secrets to an address",
                    Pattern.compile("\\b(send|post|upload|forward|exfiltrate)\\b[^.\\n]{0,60}\\b(conversation|"
                            + "history|secrets?|api\\s+keys?|credentials|tokens?|passwords?)\\b[^.\\n]{0,60}"
                            + "https?://", FLAGS)));

    private SkillScan() {
    }

    /** Every finding in the text, in order of position. */
    public static List<Finding> scan(String text) {
        List<Finding> findings = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return findings;
        }
        hiddenCharacters(text, findings);
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                findings.add(new Finding(rule.severity(), rule.code(), rule.message(), lineOf(text, m.start())));
            }
        }
        findings.sort(java.util.Comparator.comparingInt(Finding::line));
        return findings;
    }

    public static boolean rejected(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /** One finding a kind and line, so a paragraph of zero-width characters reads as one problem. */
    private static void hiddenCharacters(String text, List<Finding> findings) {
        String lastKey = null;
        int line = 1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '\n') {
                line++;
            }
            String code = hiddenKind(cp, i, i > 0 ? text.codePointBefore(i) : -1);
            if (code != null) {
                String key = code + "@" + line;
                if (!key.equals(lastKey)) {
                    findings.add(new Finding(Severity.ERROR, code, describe(code, cp), line));
                    lastKey = key;
                }
            }
            i += Character.charCount(cp);
        }
    }

    private static String hiddenKind(int cp, int index, int previous) {
        if (cp >= 0xE0000 && cp <= 0xE007F) {
            return "unicode-tag-character";
        }
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
                || cp == 0x061C) {
            return "bidi-control-character";
        }
        if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0x180E || cp == 0x2061
                || cp == 0x2062 || cp == 0x2063 || cp == 0x2064 || (cp == 0xFEFF && index > 0)) {
            return "zero-width-character";
        }
        if ((cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0xFE00 && cp <= 0xFE0F && previous >= 0xFE00
                && previous <= 0xFE0F)) {
            // one selector after an emoji is ordinary; the supplementary ones, or several in a row, encode bytes
            return "variation-selector";
        }
        int type = Character.getType(cp);
        if (type == Character.CONTROL && cp != '\n' && cp != '\r' && cp != '\t') {
            return "control-character";
        }
        if (type == Character.PRIVATE_USE) {
            return "private-use-character";
        }
        return null;
    }

    private static String describe(String code, int cp) {
        String at = String.format("U+%04X", cp);
        return switch (code) {
            case "unicode-tag-character" -> "an invisible Unicode tag character (" + at + "), which can spell out "
                    + "hidden text";
            case "bidi-control-character" -> "a bidirectional control character (" + at + "), which makes text "
                    + "display in another order than the model reads it";
            case "zero-width-character" -> "a zero-width character (" + at + ") that a reviewer cannot see";
            case "variation-selector" -> "a variation selector (" + at + ") that can hide encoded data";
            case "private-use-character" -> "a private-use character (" + at + ") with no visible meaning";
            default -> "a control character (" + at + ")";
        };
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
