package dev.switchboard.face.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpExposure;
import dev.switchboard.agent.Permissions;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.event.EventHub;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.JsonSchemaArguments;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's own tools over MCP follow the agent's argument check and permissions, as in a run. */
class ExposedToolsTest {

    @TempDir
    Path dir;

    JdbcStore store;
    ApprovalGate approvals;
    final List<ToolContext> ran = new ArrayList<>();

    @BeforeEach
    void openTheStore() {
        store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("test.db"));
        approvals = new ApprovalGate(store, new EventHub(100, 100, store::reserveSeq, Clock.systemUTC()),
                Clock.systemUTC());
    }

    @AfterEach
    void closeTheStore() {
        approvals.close();
        store.close();
    }

    @Test
    void aToolThatNeedsApprovalIsRefusedBecauseNobodyCanBeAsked() {
        ExposedTools tools = toolsOf(agent(new Permissions("manual", 1000, List.of(), List.of())));
        McpSchema.CallToolResult result = tools.call("worker__write_note", Map.of("text", "x"),
                new Caller("operator", null), CallProgress.NONE);
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("needs a person's approval").contains("alwaysAllow");
        assertThat(ran).isEmpty();
    }

    @Test
    void thePermissionsCanAllowItAndTheCallRunsWithTheTokenAsSession() {
        ExposedTools tools = toolsOf(agent(new Permissions("manual", 1000, List.of("write_note"), List.of())));
        McpSchema.CallToolResult result = tools.call("worker__write_note", Map.of("text", "x"),
                new Caller("operator", "ses-1"), CallProgress.NONE);
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("wrote x");
        assertThat(ran).singleElement().satisfies(context -> {
            assertThat(context.agentId()).isEqualTo("worker");
            assertThat(context.sessionId()).isEqualTo("ses-1");
            assertThat(context.ownerId()).isEqualTo("operator");
        });

        ExposedTools autoApprove = toolsOf(agent(new Permissions("auto-approve", 1000, List.of(), List.of())));
        assertThat(autoApprove.call("worker__write_note", Map.of("text", "y"), new Caller("operator", null),
                CallProgress.NONE).isError()).isFalse();
    }

    @Test
    void aDeniedToolIsRefusedEvenWhenItOnlyReads() {
        ExposedTools tools = toolsOf(agent(new Permissions("auto-approve", 1000, List.of(), List.of("read_note"))));
        McpSchema.CallToolResult result = tools.call("worker__read_note", Map.of(), new Caller("operator", null),
                CallProgress.NONE);
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("always deny");
        assertThat(ran).isEmpty();

        ExposedTools autoDeny = toolsOf(agent(new Permissions("auto-deny", 1000, List.of(), List.of())));
        assertThat(autoDeny.call("worker__read_note", Map.of(), new Caller("operator", null), CallProgress.NONE)
                .isError()).as("a tool that only reads runs even in auto-deny").isFalse();
        assertThat(autoDeny.call("worker__write_note", Map.of("text", "z"), new Caller("operator", null),
                CallProgress.NONE).isError()).isTrue();
    }

    @Test
    void argumentsAreCheckedAgainstTheToolsSchemaBeforeThePolicy() {
        ExposedTools tools = toolsOf(agent(new Permissions("auto-approve", 1000, List.of(), List.of())));
        McpSchema.CallToolResult result = tools.call("worker__write_note", Map.of("text", 7),
                new Caller("operator", null), CallProgress.NONE);
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("Invalid arguments for 'worker__write_note'").contains("text");
        assertThat(ran).isEmpty();
    }

    @Test
    void onlyTheToolsTheAgentExposesAndHasAreOffered() {
        AgentDefinition agent = new AgentDefinition("worker", "Worker", null, "", null, "no model",
                List.of(), Map.of(), Permissions.DEFAULT, null, dir,
                new McpExposure(false, List.of("read_note", "not_a_tool")));
        ExposedTools tools = toolsOf(agent);
        assertThat(tools.offered()).extracting(o -> o.descriptor().name()).containsExactly("worker__read_note");
        assertThat(ExposedTools.toolName("a b/c")).isEqualTo("a_b_c");
    }

    private AgentDefinition agent(Permissions permissions) {
        return new AgentDefinition("worker", "Worker", null, "", null, "no model", List.of(), Map.of(), permissions,
                null, dir, new McpExposure(true, List.of("write_note", "read_note")));
    }

    private ExposedTools toolsOf(AgentDefinition agent) {
        AgentCatalog catalog = new AgentCatalog() {
            @Override
            public Optional<AgentDefinition> find(String agentId) {
                return agentId.equals(agent.id()) ? Optional.of(agent) : Optional.empty();
            }

            @Override
            public List<AgentDefinition> all() {
                return List.of(agent);
            }

            @Override
            public String defaultAgentId() {
                return agent.id();
            }
        };
        AgentTools agentTools = a -> List.of(tool("write_note", ToolRisk.ACTS), tool("read_note", ToolRisk.READS));
        // an agent's own tools need no sessions, runs or events: those serve only the agent tool
        return new ExposedTools(catalog, agentTools, null, null, null, approvals, new JsonSchemaArguments(), 15);
    }

    private Tool tool(String name, ToolRisk risk) {
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return new ToolSpec(name, "A test tool", """
                        {"type":"object","properties":{"text":{"type":"string"}}}""");
            }

            @Override
            public ToolRisk risk() {
                return risk;
            }

            @Override
            public ToolOutcome execute(String arguments, ToolContext context) {
                ran.add(context);
                return ToolOutcome.success("wrote " + arguments.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1"));
            }
        };
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }
}
