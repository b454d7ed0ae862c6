package dev.switchboard.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolRisk;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltInToolsTest {

    final List<Tool> tools = BuiltInTools.all(ServerConfig.defaults().tools(), Map.of("PATH", "/usr/bin"),
            Clock.systemUTC());

    @Test
    void eachToolHasTheRiskThatDecidesWhoIsAsked() {
        Map<String, ToolRisk> risks = new LinkedHashMap<>();
        tools.forEach(tool -> risks.put(tool.spec().name(), tool.risk()));

        assertThat(risks).containsExactly(
                entry("current_time", ToolRisk.READS),
                entry("ask_user", ToolRisk.READS),
                entry("todo_write", ToolRisk.READS),
                entry("read_file", ToolRisk.READS),
                entry("list_files", ToolRisk.READS),
                entry("search_files", ToolRisk.READS),
                entry("write_file", ToolRisk.ACTS),
                entry("edit_file", ToolRisk.ACTS),
                entry("http_request", ToolRisk.ACTS),
                entry("run_command", ToolRisk.DANGEROUS));
    }

    @Test
    void everySchemaIsAClosedObjectThatRefusesUnknownArguments() throws Exception {
        for (Tool tool : tools) {
            JsonNode schema = new ObjectMapper().readTree(tool.spec().parametersSchema());
            assertThat(schema.path("type").asText()).as(tool.spec().name()).isEqualTo("object");
            assertThat(schema.path("additionalProperties").asBoolean(true)).as(tool.spec().name()).isFalse();
            assertThat(ToolCalls.schemaProblems(tool, "unexpected", 1)).as(tool.spec().name()).isNotEmpty();
            assertThat(tool.spec().description()).as(tool.spec().name()).hasSizeGreaterThan(60);
        }
    }

    @Test
    void wrongArgumentsThatSkipTheSchemaCheckBecomeFailuresNotExceptions() {
        for (Tool tool : tools) {
            for (String arguments : List.of("not json", "[1,2]", "{\"path\":5,\"url\":[],\"items\":\"x\","
                    + "\"command\":{},\"question\":false,\"method\":1,\"timezone\":5}")) {
                assertThat(tool.execute(arguments, ToolCalls.context(null)).success())
                        .as("%s with %s", tool.spec().name(), arguments).isFalse();
            }
        }
    }
}
