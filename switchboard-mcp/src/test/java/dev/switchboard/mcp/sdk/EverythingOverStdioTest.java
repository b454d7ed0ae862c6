package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.content.Content;
import dev.switchboard.event.EventPayload;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.mcp.McpPromptResult;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpResourceContents;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.session.Role;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolOrigin;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server-everything over stdio: tools, results, questions, model calls, notifications, resources, prompts. */
class EverythingOverStdioTest {

    private static final String AGENT = "agent-1";

    @TempDir
    static Path workspace;

    private static SdkMcpConnections connections;

    @BeforeAll
    static void connect() {
        connections = new SdkMcpConnections(System.getenv());
        connections.open(TestPeers.agent(AGENT, workspace, Map.of("everything", TestPeers.everything())));
        Eventually.until("server-everything connects",
                () -> connections.server(AGENT, "everything").connected(), Duration.ofSeconds(20));
    }

    @AfterAll
    static void close() {
        connections.close();
    }

    @Test
    void itsToolsAreNamespacedUnderTheServerName() {
        McpServerState state = connections.server(AGENT, "everything");
        assertThat(state.serverInfo()).contains("everything");
        assertThat(state.persisted()).isTrue();

        List<Tool> tools = connections.tools(AGENT);
        assertThat(tools).extracting(t -> t.spec().name())
                .contains("mcp__everything__echo", "mcp__everything__get-sum", "mcp__everything__get-env")
                .allMatch(name -> name.startsWith("mcp__everything__"));
        Tool echo = tool("echo");
        assertThat(echo.origin()).isEqualTo(ToolOrigin.mcp("everything", "echo"));
        assertThat(echo.spec().parametersSchema()).contains("\"message\"");
        assertThat(echo.spec().description()).isEqualTo("Echoes back the input string");
    }

    @Test
    void aReadOnlyHintIsShownButTheToolStillCountsAsActing() {
        McpToolInfo echo = connections.toolsOf(AGENT, "everything").stream()
                .filter(t -> t.name().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.readOnly()).isTrue();
        assertThat(echo.qualifiedName()).isEqualTo("mcp__everything__echo");
        assertThat(tool("echo").risk()).isEqualTo(ToolRisk.ACTS);
    }

    @Test
    void echoAnswersThroughItsNamespacedTool() {
        ToolOutcome outcome = tool("echo").execute("{\"message\":\"hello switchboard\"}",
                new RecordingInteraction().context("call-echo", workspace));

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.output()).isEqualTo("Echo: hello switchboard");
    }

    @Test
    void aDirectCallByTheToolsOwnNameWorksToo() {
        ToolOutcome outcome = connections.call(AGENT, "everything", "get-sum", "{\"a\":2,\"b\":40}",
                new RecordingInteraction().context("call-sum", workspace));

        assertThat(outcome.output()).contains("42");
    }

    @Test
    void argumentsTheServerRejectsGiveAFailedOutcome() {
        ToolOutcome outcome = tool("get-sum").execute("{\"a\":\"two\"}",
                new RecordingInteraction().context("call-bad", workspace));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNotBlank();
    }

    @Test
    void anImageInAResultIsSummarizedForTheModel() {
        ToolOutcome outcome = tool("get-tiny-image").execute("{}",
                new RecordingInteraction().context("call-image", workspace));

        assertThat(outcome.output())
                .contains("Here's the image you requested:")
                .containsPattern("\\[image image/png, \\d+ bytes]")
                .contains("The image above is the MCP logo.");
    }

    @Test
    void theAgentsWorkspaceIsTheServersRoot() {
        ToolOutcome outcome = tool("get-roots-list").execute("{}",
                new RecordingInteraction().context("call-roots", workspace));

        assertThat(outcome.output()).contains(workspace.toUri().toString());
    }

    @Test
    void anElicitationIsAnsweredWithThePersonsFormData() {
        RecordingInteraction interaction = new RecordingInteraction();
        interaction.elicitAnswer = ApprovalDecision.approved(Map.of("name", "Ada Lovelace", "check", true,
                "integer", 7));

        ToolOutcome outcome = tool("trigger-elicitation-request").execute("{}",
                interaction.context("call-elicit", workspace));

        assertThat(outcome.output()).contains("- Name: Ada Lovelace", "- Agreed to terms: true",
                "- Favorite Integer: 7");
        assertThat(interaction.elicitations).singleElement().satisfies(question -> {
            assertThat(question.message()).contains("Please provide inputs");
            assertThat(question.requestedSchema()).containsKey("properties");
            assertThat(question.metadata()).containsEntry("server", "everything");
        });
    }

    @Test
    void aDeclinedElicitationReachesTheTool() {
        RecordingInteraction interaction = new RecordingInteraction();
        interaction.elicitAnswer = ApprovalDecision.denied("not now");

        ToolOutcome outcome = tool("trigger-elicitation-request").execute("{}",
                interaction.context("call-decline", workspace));

        assertThat(outcome.output()).contains("User declined").doesNotContain("Ada");
    }

    @Test
    void aCancelledElicitationReachesTheTool() {
        RecordingInteraction interaction = new RecordingInteraction();
        interaction.elicitAnswer = ApprovalDecision.cancelled("run cancelled");

        ToolOutcome outcome = tool("trigger-elicitation-request").execute("{}",
                interaction.context("call-cancel", workspace));

        assertThat(outcome.output()).contains("User cancelled");
    }

    @Test
    void samplingIsAnsweredByTheRunsModel() {
        RecordingInteraction interaction = new RecordingInteraction();
        interaction.sampleAnswer = sampling -> new LlmResponse("Paris is the capital.", null, List.of(), null,
                "stop", "test", "test-model");

        ToolOutcome outcome = tool("trigger-sampling-request").execute(
                "{\"prompt\":\"What is the capital of France?\",\"maxTokens\":50}",
                interaction.context("call-sample", workspace));

        assertThat(outcome.output()).contains("Paris is the capital.", "test-model");
        assertThat(interaction.samplings).singleElement().satisfies(sampling -> {
            assertThat(sampling.server()).isEqualTo("everything");
            assertThat(sampling.systemPrompt()).isEqualTo("You are a helpful test server.");
            assertThat(sampling.maxTokens()).isEqualTo(50);
            assertThat(sampling.messages()).singleElement().satisfies(message -> {
                assertThat(message.role()).isEqualTo(Role.USER);
                assertThat(Content.plainText(message.content())).contains("What is the capital of France?");
            });
        });
    }

    @Test
    void aRefusedModelCallFailsTheServersRequestNotTheConnection() {
        RecordingInteraction interaction = new RecordingInteraction();
        interaction.sampleAnswer = sampling -> {
            throw new IllegalStateException("sampling is not allowed for this agent");
        };

        ToolOutcome outcome = tool("trigger-sampling-request").execute("{\"prompt\":\"hi\"}",
                interaction.context("call-refused", workspace));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("sampling is not allowed for this agent");
        assertThat(tool("echo").execute("{\"message\":\"still here\"}",
                new RecordingInteraction().context("call-after", workspace)).output()).isEqualTo("Echo: still here");
    }

    @Test
    void progressAndLogLinesReachTheRunOfTheCall() {
        RecordingInteraction interaction = new RecordingInteraction();
        // simulated logging sends a line every 5 s: a 6 s operation is in flight for at least one of them
        assertThat(tool("toggle-simulated-logging").execute("{}",
                new RecordingInteraction().context("call-toggle", workspace)).output()).contains("Started");
        try {
            ToolOutcome outcome = tool("trigger-long-running-operation").execute("{\"duration\":6,\"steps\":3}",
                    interaction.context("call-long", workspace));
            assertThat(outcome.output()).contains("Long running operation completed");
        } finally {
            tool("toggle-simulated-logging").execute("{}", new RecordingInteraction().context("call-off", workspace));
        }

        assertThat(interaction.published(EventPayload.ToolProgress.class))
                .contains(new EventPayload.ToolProgress("call-long", "mcp__everything__trigger-long-running-operation",
                        1, 3.0, null))
                .contains(new EventPayload.ToolProgress("call-long", "mcp__everything__trigger-long-running-operation",
                        2, 3.0, null));
        assertThat(interaction.published(EventPayload.ToolLog.class)).isNotEmpty().allSatisfy(line -> {
            assertThat(line.callId()).isEqualTo("call-long");
            assertThat(line.server()).isEqualTo("everything");
            assertThat(line.level()).isNotBlank();
            assertThat(line.data()).containsIgnoringCase("message");
        });
    }

    @Test
    void resourcesAreListedAndRead() {
        List<McpResource> resources = connections.resources(AGENT, "everything");
        assertThat(resources).extracting(McpResource::uri)
                .contains("demo://resource/static/document/instructions.md");
        assertThat(connections.resources(AGENT, null)).containsAll(resources);

        McpResourceContents contents = connections.readResource(AGENT, "everything",
                "demo://resource/static/document/instructions.md");

        assertThat(contents.contents()).singleElement().satisfies(item -> {
            assertThat(item.mimeType()).isEqualTo("text/markdown");
            assertThat(item.text()).isNotBlank();
            assertThat(item.blob()).isNull();
        });
    }

    @Test
    void theResourceListFollowsListChangedNotifications() {
        String uri = "demo://resource/session/greeting.txt.gz";
        assertThat(connections.resources(AGENT, "everything")).extracting(McpResource::uri).doesNotContain(uri);

        // the tool registers a new resource on the server, which then announces resources/list_changed
        ToolOutcome outcome = tool("gzip-file-as-resource").execute(
                "{\"name\":\"greeting.txt.gz\",\"data\":\"data:text/plain;base64,SGVsbG8gU3dpdGNoYm9hcmQ=\"}",
                new RecordingInteraction().context("call-gzip", workspace));
        assertThat(outcome.output()).contains("[resource link " + uri);

        Eventually.until("the new resource is listed", () -> connections.resources(AGENT, "everything").stream()
                .anyMatch(r -> r.uri().equals(uri)), Duration.ofSeconds(10));
        assertThat(connections.readResource(AGENT, "everything", uri).contents()).singleElement()
                .satisfies(item -> {
                    assertThat(item.mimeType()).isEqualTo("application/gzip");
                    assertThat(item.blob()).isNotBlank();
                });
    }

    @Test
    void promptsAreListedAndFilledIn() {
        assertThat(connections.prompts(AGENT)).extracting(p -> p.name())
                .contains("simple-prompt", "args-prompt", "resource-prompt");
        assertThat(connections.prompts(AGENT)).filteredOn(p -> p.name().equals("args-prompt")).singleElement()
                .satisfies(prompt -> {
                    assertThat(prompt.server()).isEqualTo("everything");
                    assertThat(prompt.arguments()).anySatisfy(a -> {
                        assertThat(a.name()).isEqualTo("city");
                        assertThat(a.required()).isTrue();
                    });
                    assertThat(prompt.arguments()).anySatisfy(a -> {
                        assertThat(a.name()).isEqualTo("state");
                        assertThat(a.required()).isFalse();
                    });
                });

        McpPromptResult weather = connections.prompt(AGENT, "everything", "args-prompt", Map.of("city", "Paris"));
        assertThat(weather.messages()).singleElement()
                .isEqualTo(new McpPromptResult.Message("user", "text", "What's weather in Paris?", null, null, null));

        McpPromptResult withResource = connections.prompt(AGENT, "everything", "resource-prompt",
                Map.of("resourceType", "Text", "resourceId", "1"));
        assertThat(withResource.messages()).hasSize(2);
        assertThat(withResource.messages().get(1)).satisfies(message -> {
            assertThat(message.type()).isEqualTo("resource");
            assertThat(message.uri()).isNotBlank();
            assertThat(message.text()).isNotBlank();
        });
    }

    private static Tool tool(String name) {
        return connections.tools(AGENT).stream()
                .filter(t -> t.spec().name().equals("mcp__everything__" + name))
                .findFirst().orElseThrow(() -> new AssertionError("no tool " + name));
    }
}
