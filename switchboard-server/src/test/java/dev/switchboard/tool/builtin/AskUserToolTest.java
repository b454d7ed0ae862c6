package dev.switchboard.tool.builtin;

import static dev.switchboard.tool.builtin.ToolCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AskUserToolTest {

    final AskUserTool tool = new AskUserTool();

    @Test
    void anApprovedFormComesBackAsJson() {
        ToolCalls.Interaction person = new ToolCalls.Interaction(question -> ApprovalDecision.approved(
                Map.of("environment", "staging")));
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("environment",
                Map.of("type", "string", "enum", java.util.List.of("staging", "production"))));

        ToolOutcome outcome = call(tool, ToolCalls.context(Path.of("unused"), person, new Cancellation()),
                "question", "Where shall I deploy?", "schema", schema);

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.output()).isEqualTo("{\"environment\":\"staging\"}");
        assertThat(person.questions).containsExactly("Where shall I deploy?");
        assertThat(person.schemas).containsExactly(schema);
    }

    @Test
    void aFreeQuestionOffersOneAnswerField() {
        ToolCalls.Interaction person = new ToolCalls.Interaction(question -> ApprovalDecision.approved(
                Map.of("answer", "blue")));

        ToolOutcome outcome = call(tool, ToolCalls.context(Path.of("unused"), person, new Cancellation()),
                "question", "Favourite colour?");

        assertThat(outcome.output()).isEqualTo("{\"answer\":\"blue\"}");
        assertThat(person.schemas).containsExactly(AskUserTool.FREE_ANSWER);
    }

    @Test
    void aDeniedOrCancelledQuestionIsAFailureWithTheReason() {
        ToolCalls.Interaction refuses = new ToolCalls.Interaction(q -> ApprovalDecision.denied("not telling"));
        ToolOutcome denied = call(tool, ToolCalls.context(Path.of("unused"), refuses, new Cancellation()),
                "question", "Your password?");
        assertThat(denied.success()).isFalse();
        assertThat(denied.error()).isEqualTo("The user did not answer (declined): not telling");

        ToolCalls.Interaction gone = new ToolCalls.Interaction(q -> ApprovalDecision.cancelled("the run was cancelled"));
        assertThat(call(tool, ToolCalls.context(Path.of("unused"), gone, new Cancellation()), "question", "Still "
                + "there?").error()).isEqualTo("The question was cancelled: the run was cancelled");
    }

    @Test
    void theSchemaMustDescribeAForm() {
        assertThat(ToolCalls.schemaProblems(tool, "question", "Pick", "schema", Map.of("type", "string")))
                .isNotEmpty();
        assertThat(ToolCalls.schemaProblems(tool, "question", "")).isNotEmpty();
        assertThat(ToolCalls.schemaProblems(tool, "question", "Pick", "extra", 1)).isNotEmpty();
    }
}
