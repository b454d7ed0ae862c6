package dev.switchboard.tool.builtin;

import static dev.switchboard.tool.builtin.ToolCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceConfinementTest {

    @TempDir
    Path dir;

    Path workspace;
    Path outside;
    ToolContext context;

    final ReadFileTool read = new ReadFileTool();
    final WriteFileTool write = new WriteFileTool();
    final EditFileTool edit = new EditFileTool();
    final ListFilesTool list = new ListFilesTool();
    final SearchFilesTool search = new SearchFilesTool();

    @BeforeEach
    void prepare() throws Exception {
        workspace = dir.resolve("workspaces/agent");
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "the secret\n");
        context = ToolCalls.context(workspace);
    }

    @Test
    void theWorkspaceIsCreatedOnFirstUseAndNestedPathsWork() throws Exception {
        assertThat(workspace).doesNotExist();
        ToolOutcome written = call(write, context, "path", "notes/2024/plan.md", "content", "# Plan\nstep one\n");
        assertThat(written.success()).as(written.error()).isTrue();
        assertThat(written.output()).contains("notes/2024/plan.md");
        assertThat(Files.readString(workspace.resolve("notes/2024/plan.md"))).isEqualTo("# Plan\nstep one\n");

        ToolOutcome again = call(read, context, "path", "./notes/2024/plan.md");
        assertThat(again.output()).contains("     1\t# Plan").contains("     2\tstep one");
        assertThat(call(list, context, "recursive", true).output())
                .contains("notes/", "notes/2024/", "notes/2024/plan.md (16 bytes)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.txt", "a/../../outside/secret.txt", "..", "a\\..\\..\\x"})
    void dotDotIsRefusedForReadingAndWriting(String path) {
        assertRefused(call(read, context, "path", path), "'..' is not allowed");
        assertRefused(call(write, context, "path", path, "content", "x"), "'..' is not allowed");
        assertRefused(call(edit, context, "path", path, "oldText", "the", "newText", "a"), "'..' is not allowed");
        assertRefused(call(list, context, "path", path), "'..' is not allowed");
        assertRefused(call(search, context, "pattern", "secret", "path", path), "'..' is not allowed");
        assertThat(outside.resolve("secret.txt")).hasContent("the secret");
    }

    @Test
    void absoluteHomeAndNulPathsAreRefused() {
        String absolute = outside.resolve("secret.txt").toString();
        assertRefused(call(read, context, "path", absolute), "absolute path");
        assertRefused(call(write, context, "path", absolute, "content", "x"), "absolute path");
        assertRefused(call(read, context, "path", "C:\\Windows\\win.ini"), "absolute path");
        assertRefused(call(read, context, "path", "~/.ssh/id_rsa"), "'~' paths are not allowed");
        assertRefused(call(write, context, "path", "~root/x", "content", "x"), "'~' paths are not allowed");
        assertRefused(call(read, context, "path", "a\u0000b"), "NUL");
        assertThat(outside.resolve("secret.txt")).hasContent("the secret");
    }

    @Test
    void aSymlinkedFilePointingOutsideIsRefusedForReadAndWrite() throws Exception {
        Files.createDirectories(workspace);
        Files.createSymbolicLink(workspace.resolve("link.txt"), outside.resolve("secret.txt"));

        assertRefused(call(read, context, "path", "link.txt"), "outside the workspace through a symbolic link");
        assertRefused(call(write, context, "path", "link.txt", "content", "owned"), "symbolic link");
        assertRefused(call(edit, context, "path", "link.txt", "oldText", "secret", "newText", "owned"),
                "symbolic link");
        assertRefused(call(search, context, "pattern", "secret", "path", "link.txt"), "symbolic link");
        assertThat(call(search, context, "pattern", "secret").output()).startsWith("0 matches");
        assertThat(outside.resolve("secret.txt")).hasContent("the secret");
    }

    @Test
    void aSymlinkedFolderPointingOutsideIsRefusedForReadWriteAndListing() throws Exception {
        Files.createDirectories(workspace);
        Files.createSymbolicLink(workspace.resolve("docs"), outside);

        assertRefused(call(read, context, "path", "docs/secret.txt"), "symbolic link");
        assertRefused(call(write, context, "path", "docs/new.txt", "content", "x"), "symbolic link");
        assertRefused(call(write, context, "path", "docs/deeper/new.txt", "content", "x"), "symbolic link");
        assertRefused(call(list, context, "path", "docs"), "symbolic link");
        assertThat(call(list, context, "recursive", true).output()).contains("docs (symbolic link)")
                .doesNotContain("secret");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("deeper")).doesNotExist();
    }

    @Test
    void aDanglingSymlinkCannotBeWrittenThrough() throws Exception {
        Files.createDirectories(workspace);
        Files.createSymbolicLink(workspace.resolve("planted"), outside.resolve("created-by-agent.txt"));

        assertRefused(call(write, context, "path", "planted", "content", "x"), "symbolic link");
        assertThat(outside.resolve("created-by-agent.txt")).doesNotExist();
    }

    @Test
    void aSymlinkThatStaysInsideTheWorkspaceIsFollowed() throws Exception {
        Files.createDirectories(workspace.resolve("real"));
        Files.writeString(workspace.resolve("real/a.txt"), "inside\n");
        Files.createSymbolicLink(workspace.resolve("alias"), workspace.resolve("real"));

        assertThat(call(read, context, "path", "alias/a.txt").output()).contains("inside");
        assertThat(call(write, context, "path", "alias/b.txt", "content", "also inside").success()).isTrue();
        assertThat(workspace.resolve("real/b.txt")).hasContent("also inside");
    }

    private static void assertRefused(ToolOutcome outcome, String reason) {
        assertThat(outcome.success()).as("expected a refusal, got %s", outcome.output()).isFalse();
        assertThat(outcome.error()).contains(reason);
    }
}
