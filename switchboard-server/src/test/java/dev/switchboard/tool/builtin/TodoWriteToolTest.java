package dev.switchboard.tool.builtin;

import static dev.switchboard.tool.builtin.ToolCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.event.EventPayload;
import dev.switchboard.event.EventPayload.PlanItem;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TodoWriteToolTest {

    final TodoWriteTool tool = new TodoWriteTool();
    final ToolCalls.Interaction session = new ToolCalls.Interaction(q -> ApprovalDecision.denied("no"));
    final ToolContext context = ToolCalls.context(Path.of("unused"), session, new Cancellation());

    @Test
    void theListIsPublishedAsPlanUpdatedAndRendered() {
        ToolOutcome outcome = call(tool, context, "items", List.of(
                Map.of("content", "Read the failing test", "status", "completed"),
                Map.of("content", "Fix the parser", "status", "in_progress", "id", "fix"),
                Map.of("content", "Run the suite", "status", "pending")));

        assertThat(outcome.output()).isEqualTo("""
                Plan (1 of 3 completed):
                [x] Read the failing test (1)
                [>] Fix the parser (fix)
                [ ] Run the suite (3)
                """);
        assertThat(session.published()).containsExactly(new EventPayload.PlanUpdated(List.of(
                new PlanItem("1", "Read the failing test", "completed"),
                new PlanItem("fix", "Fix the parser", "in_progress"),
                new PlanItem("3", "Run the suite", "pending"))));
        assertThat(session.published().getFirst().name()).isEqualTo("plan:updated");
    }

    @Test
    void anEmptyListClearsThePlan() {
        assertThat(call(tool, context, "items", List.of()).output()).isEqualTo("Plan cleared.");
        assertThat(session.published()).containsExactly(new EventPayload.PlanUpdated(List.of()));
    }

    @Test
    void badItemsAreRefusedAndNothingIsPublished() {
        assertThat(ToolCalls.schemaProblems(tool, "items", List.of(Map.of("content", "x", "status", "done"))))
                .isNotEmpty();
        ToolOutcome duplicate = call(tool, context, "items", List.of(
                Map.of("content", "a", "status", "pending", "id", "x"),
                Map.of("content", "b", "status", "pending", "id", "x")));
        assertThat(duplicate.error()).isEqualTo("id 'x' is used by more than one item");
        assertThat(tool.execute("{\"items\":[{\"content\":\"a\",\"status\":\"done\"}]}", context).error())
                .isEqualTo("item 1 has status 'done'; it must be pending, in_progress or completed");
        assertThat(session.published()).isEmpty();
    }
}
