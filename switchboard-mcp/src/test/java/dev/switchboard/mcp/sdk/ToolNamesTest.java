package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolNamesTest {

    @Test
    void aToolIsNamespacedUnderItsServer() {
        assertThat(ToolNames.qualified("github", "search")).isEqualTo("mcp__github__search");
        assertThat(ToolNames.qualified("gitlab", "search")).isEqualTo("mcp__gitlab__search");
    }

    @Test
    void charactersModelsRejectBecomeUnderscores() {
        assertThat(ToolNames.qualified("my server", "files.read/v2")).isEqualTo("mcp__my_server__files_read_v2");
        assertThat(ToolNames.qualified("a-b", "c_d")).isEqualTo("mcp__a-b__c_d");
    }

    @Test
    void aLongNameIsShortenedStablyAndDistinctly() {
        String tool = "x".repeat(80);
        String first = ToolNames.qualified("server", tool + "1");
        String second = ToolNames.qualified("server", tool + "2");

        assertThat(first).hasSize(ToolNames.MAX_LENGTH).startsWith("mcp__server__xxx").matches("[A-Za-z0-9_-]+");
        assertThat(second).hasSize(ToolNames.MAX_LENGTH).isNotEqualTo(first);
        assertThat(ToolNames.qualified("server", tool + "1")).isEqualTo(first);
    }
}
