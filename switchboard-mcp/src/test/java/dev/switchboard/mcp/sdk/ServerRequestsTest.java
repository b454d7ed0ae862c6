package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.event.EventPayload;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where what a server sends while its tools run ends up, when calls overlap or none is running. */
class ServerRequestsTest {

    private final CallsInFlight calls = new CallsInFlight();
    private final ServerRequests requests = new ServerRequests("everything", calls);

    @Test
    void aQuestionWithNoCallInFlightIsDeclinedWithoutAskingAnyone() {
        McpSchema.ElicitResult answer = requests.elicit(new McpSchema.ElicitFormRequest("Your name?",
                Map.of("type", "object"), null));

        assertThat(answer.action()).isEqualTo(McpSchema.ElicitResult.Action.DECLINE);
    }

    @Test
    void aModelCallWithNoCallInFlightIsAnErrorToTheServer() {
        McpSchema.CreateMessageRequest request = McpSchema.CreateMessageRequest.builder()
                .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
                        new McpSchema.TextContent("hi"))))
                .maxTokens(10)
                .build();

        assertThatThrownBy(() -> requests.sample(request)).isInstanceOf(McpError.class)
                .hasMessageContaining("none of its tools was running");
    }

    @Test
    void progressFindsItsCallByTokenAndLogLinesGoToTheMostRecentCall() {
        RecordingInteraction first = new RecordingInteraction();
        RecordingInteraction second = new RecordingInteraction();
        try (CallsInFlight.Call older = calls.begin(first.context("call-1", null), "mcp__everything__a");
                CallsInFlight.Call newer = calls.begin(second.context("call-2", null), "mcp__everything__b")) {

            requests.progress(new McpSchema.ProgressNotification(older.token, 1.0, 4.0, "a quarter"));
            requests.log(new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.WARNING, "disk",
                    "almost full"));

            assertThat(first.published).containsExactly(
                    new EventPayload.ToolProgress("call-1", "mcp__everything__a", 1.0, 4.0, "a quarter"));
            assertThat(second.published).containsExactly(
                    new EventPayload.ToolLog("call-2", "everything", "warning", "disk", "almost full"));
            assertThat(newer.token).isNotEqualTo(older.token);
        }
        requests.log(new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.INFO, "x", "after"));
        requests.progress(new McpSchema.ProgressNotification("unknown-token", 1.0, null, null));
        assertThat(first.published).hasSize(1);
        assertThat(second.published).hasSize(1);
    }
}
