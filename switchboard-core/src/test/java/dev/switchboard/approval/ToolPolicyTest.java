package dev.switchboard.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.Permissions;
import dev.switchboard.approval.ToolPolicy.Verdict;
import dev.switchboard.tool.ToolRisk;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolPolicyTest {

    private static Verdict verdict(Permissions permissions, ToolRisk risk, String tool,
            Optional<ApprovalStatus> remembered) {
        return ToolPolicy.decide(permissions, risk, tool, remembered).verdict();
    }

    private static Permissions mode(String mode, List<String> allow, List<String> deny) {
        return new Permissions(mode, 1000, allow, deny);
    }

    @Test
    void manualModeAsksForToolsThatActButNotForToolsThatOnlyRead() {
        Permissions manual = mode("manual", List.of(), List.of());
        assertThat(verdict(manual, ToolRisk.ACTS, "write_file", Optional.empty())).isEqualTo(Verdict.ASK);
        assertThat(verdict(manual, ToolRisk.DANGEROUS, "run_command", Optional.empty())).isEqualTo(Verdict.ASK);
        assertThat(verdict(manual, ToolRisk.READS, "read_file", Optional.empty())).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void autoApproveStillAsksAboutDangerousToolsAndAutoDenyRefusesWhatWouldBeAsked() {
        Permissions approve = mode("auto-approve", List.of(), List.of());
        assertThat(verdict(approve, ToolRisk.ACTS, "write_file", Optional.empty())).isEqualTo(Verdict.ALLOW);
        assertThat(verdict(approve, ToolRisk.DANGEROUS, "run_command", Optional.empty())).isEqualTo(Verdict.ASK);

        Permissions deny = mode("auto-deny", List.of(), List.of());
        ToolPolicy.Ruling ruling = ToolPolicy.decide(deny, ToolRisk.ACTS, "write_file", Optional.empty());
        assertThat(ruling.verdict()).isEqualTo(Verdict.DENY);
        assertThat(ruling.reason()).contains("auto-deny");
        assertThat(verdict(deny, ToolRisk.READS, "read_file", Optional.empty())).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void anAdministratorsOverrideComesAfterTheAgentsDenyListAndBeforeEverythingElse() {
        Permissions lists = mode("auto-approve", List.of("write_file"), List.of("run_command"));
        ToolPolicy.Ruling deny = new ToolPolicy.Ruling(Verdict.DENY, "overridden");
        ToolPolicy.Ruling ask = new ToolPolicy.Ruling(Verdict.ASK, null);
        ToolPolicy.Ruling allow = new ToolPolicy.Ruling(Verdict.ALLOW, null);
        java.util.function.Supplier<Optional<ApprovalStatus>> approved = () -> Optional.of(ApprovalStatus.APPROVED);

        assertThat(ToolPolicy.decide(lists, ToolRisk.DANGEROUS, "run_command", Optional.of(allow), approved)
                .verdict()).as("the agent file's deny wins").isEqualTo(Verdict.DENY);
        assertThat(ToolPolicy.decide(lists, ToolRisk.ACTS, "write_file", Optional.of(ask), approved).verdict())
                .as("ask beats alwaysAllow and a remembered approval").isEqualTo(Verdict.ASK);
        assertThat(ToolPolicy.decide(lists, ToolRisk.READS, "read_file", Optional.of(deny), approved).reason())
                .as("deny reaches even a tool that only reads").isEqualTo("overridden");
        assertThat(ToolPolicy.decide(mode("auto-deny", List.of(), List.of()), ToolRisk.DANGEROUS, "x",
                Optional.of(allow), Optional::empty).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(ToolPolicy.decide(mode("manual", List.of(), List.of()), ToolRisk.ACTS, "x", Optional.empty(),
                Optional::empty).verdict()).as("no override: the agent's permissions alone").isEqualTo(Verdict.ASK);
    }

    @Test
    void listsComeFirstDenyBeforeAllowAndPatternsMatchWholeNames() {
        Permissions lists = mode("auto-approve", List.of("mcp__files__*", "run_command"),
                List.of("mcp__files__delete*", "read_file"));
        assertThat(verdict(lists, ToolRisk.ACTS, "mcp__files__write", Optional.empty())).isEqualTo(Verdict.ALLOW);
        assertThat(verdict(lists, ToolRisk.ACTS, "mcp__files__delete_tree", Optional.empty())).isEqualTo(Verdict.DENY);
        assertThat(verdict(lists, ToolRisk.DANGEROUS, "run_command", Optional.empty())).isEqualTo(Verdict.ALLOW);
        assertThat(verdict(lists, ToolRisk.READS, "read_file", Optional.empty()))
                .as("an explicit deny beats a harmless tool").isEqualTo(Verdict.DENY);
        assertThat(verdict(lists, ToolRisk.ACTS, "mcp__filesystem__write", Optional.empty()))
                .as("mcp__files__* does not match another server").isEqualTo(Verdict.ALLOW);
        assertThat(ToolPolicy.matches("mcp__files__*", "mcp__filesystem__write")).isFalse();
        assertThat(ToolPolicy.matches("*_file", "write_file")).isTrue();
        assertThat(ToolPolicy.matches("a*b*c", "abc")).isTrue();
        assertThat(ToolPolicy.matches("a*b*c", "acb")).isFalse();
    }

    @Test
    void aRememberedAnswerDecidesBeforeTheMode() {
        Permissions manual = mode("manual", List.of(), List.of());
        assertThat(verdict(manual, ToolRisk.DANGEROUS, "run_command", Optional.of(ApprovalStatus.APPROVED)))
                .isEqualTo(Verdict.ALLOW);
        assertThat(verdict(manual, ToolRisk.ACTS, "write_file", Optional.of(ApprovalStatus.DENIED)))
                .isEqualTo(Verdict.DENY);
        assertThat(ToolPolicy.decide(manual, ToolRisk.READS, "read_file", () -> {
            throw new AssertionError("a tool that only reads is never asked about, so nothing is looked up");
        }).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(ToolPolicy.decide(new Permissions("manual", 1000, List.of("write_file"), List.of()), ToolRisk.ACTS,
                "write_file", () -> {
                    throw new AssertionError("the allow list decides before any lookup");
                }).verdict()).isEqualTo(Verdict.ALLOW);
        Permissions listed = mode("manual", List.of(), List.of("run_command"));
        assertThat(verdict(listed, ToolRisk.DANGEROUS, "run_command", Optional.of(ApprovalStatus.APPROVED)))
                .as("the agent's deny list wins over a remembered approval").isEqualTo(Verdict.DENY);
    }
}
