package dev.switchboard.approval;

import dev.switchboard.agent.Permissions;
import dev.switchboard.tool.ToolRisk;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from an agent's permissions, whether a tool call runs, is refused, or waits for a person.
 *
 * <p>In order: the agent's {@code alwaysDeny}, an administrator's override ({@link ToolOverrides}), its
 * {@code alwaysAllow}, the tool's risk (a tool that only reads
 * is never asked about, so nothing about it is ever remembered), a remembered answer, then the mode. Patterns are tool names in which {@code *} stands for any run of characters
 * ({@code mcp__files__*}).
 */
public final class ToolPolicy {

    /** What happens to the call. */
    public enum Verdict { ALLOW, DENY, ASK }

    /** The verdict and, for a refusal, the reason the model is told. */
    public record Ruling(Verdict verdict, String reason) {
        static Ruling allow() {
            return new Ruling(Verdict.ALLOW, null);
        }

        static Ruling ask() {
            return new Ruling(Verdict.ASK, null);
        }

        static Ruling deny(String reason) {
            return new Ruling(Verdict.DENY, reason);
        }
    }

    private ToolPolicy() {
    }

    public static Ruling decide(Permissions permissions, ToolRisk risk, String toolName,
            Optional<ApprovalStatus> remembered) {
        return decide(permissions, risk, toolName, () -> remembered);
    }

    /** The same, asking for the remembered answer only when the agent's lists have not decided already. */
    public static Ruling decide(Permissions permissions, ToolRisk risk, String toolName,
            java.util.function.Supplier<Optional<ApprovalStatus>> rememberedLookup) {
        return decide(permissions, risk, toolName, Optional.empty(), rememberedLookup);
    }

    /**
     * The same with an administrator's override, which only the agent's own {@code alwaysDeny} outranks: an
     * override can make a call stricter or looser than the agent's file, never run what the file forbids.
     */
    public static Ruling decide(Permissions permissions, ToolRisk risk, String toolName, Optional<Ruling> override,
            java.util.function.Supplier<Optional<ApprovalStatus>> rememberedLookup) {
        if (matchesAny(permissions.alwaysDeny(), toolName)) {
            return Ruling.deny("The agent's permissions always deny '" + toolName + "'");
        }
        if (override.isPresent()) {
            return override.get();
        }
        if (matchesAny(permissions.alwaysAllow(), toolName)) {
            return Ruling.allow();
        }
        if (risk == ToolRisk.READS) {
            return Ruling.allow();
        }
        Optional<ApprovalStatus> remembered = rememberedLookup.get();
        if (remembered.isPresent()) {
            return remembered.get() == ApprovalStatus.APPROVED ? Ruling.allow()
                    : Ruling.deny("The user chose to always deny '" + toolName + "'");
        }
        return switch (permissions.mode()) {
            case "auto-approve" -> risk == ToolRisk.DANGEROUS ? Ruling.ask() : Ruling.allow();
            case "auto-deny" -> Ruling.deny("The agent's permissions deny tool calls that need approval (auto-deny)");
            default -> Ruling.ask();
        };
    }

    static boolean matchesAny(List<String> patterns, String name) {
        for (String pattern : patterns) {
            if (matches(pattern, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} matches {@code pattern}, where {@code *} matches any run of characters. */
    public static boolean matches(String pattern, String name) {
        if (!pattern.contains("*")) {
            return pattern.equals(name);
        }
        String[] pieces = pattern.split("\\*", -1);
        if (!name.startsWith(pieces[0])) {
            return false;
        }
        int at = pieces[0].length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = name.indexOf(pieces[i], at);
            if (found < 0) {
                return false;
            }
            at = found + pieces[i].length();
        }
        String last = pieces[pieces.length - 1];
        return name.length() - at >= last.length() && name.endsWith(last);
    }
}
