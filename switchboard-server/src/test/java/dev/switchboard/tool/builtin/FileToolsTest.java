package dev.switchboard.tool.builtin;

import static dev.switchboard.tool.builtin.ToolCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {

    @TempDir
    Path workspace;

    ToolContext context;

    final ReadFileTool read = new ReadFileTool();
    final WriteFileTool write = new WriteFileTool();
    final EditFileTool edit = new EditFileTool();
    final ListFilesTool list = new ListFilesTool();
    final SearchFilesTool search = new SearchFilesTool();

    @BeforeEach
    void prepare() {
        context = ToolCalls.context(workspace);
    }

    @Test
    void readFileReturnsNumberedLinesAndPagesThroughLongFiles() throws Exception {
        Files.writeString(workspace.resolve("log.txt"), numberedLines(5000));

        ToolOutcome first = call(read, context, "path", "log.txt");
        assertThat(first.output()).startsWith("File: log.txt (lines 1-2000)\n")
                .contains("     1\tline 1\n", "  2000\tline 2000\n").doesNotContain("line 2001")
                .endsWith("[more lines follow; continue with offset=2001]\n");

        ToolOutcome page = call(read, context, "path", "log.txt", "offset", 4999, "limit", 10);
        assertThat(page.output()).isEqualTo("File: log.txt (lines 4999-5000, end of file)\n"
                + "  4999\tline 4999\n  5000\tline 5000\n");

        assertThat(call(read, context, "path", "log.txt", "offset", 6000).output())
                .contains("has 5000 lines; offset 6000 is past its end");
    }

    @Test
    void readFileStopsAtItsSizeCapAndSaysWhereToGoOn() throws Exception {
        String longLine = "x".repeat(1000);
        Files.writeString(workspace.resolve("big.txt"), IntStream.range(0, 1000).mapToObj(i -> longLine)
                .collect(Collectors.joining("\n")));

        ToolOutcome outcome = call(read, context, "path", "big.txt");
        assertThat(outcome.output().length()).isBetween(250 * 1024, 270 * 1024);
        assertThat(outcome.output()).containsPattern("\\[stopped at 256 KiB of text; continue with offset=\\d+]\n$");
    }

    @Test
    void readFileRefusesBinaryFilesAndFolders() throws Exception {
        Files.write(workspace.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Files.createDirectories(workspace.resolve("src"));

        ToolOutcome binary = call(read, context, "path", "image.png");
        assertThat(binary.success()).isFalse();
        assertThat(binary.error()).isEqualTo("'image.png' is a binary file (8 bytes); read_file only reads text");
        assertThat(call(read, context, "path", "src").error()).contains("is a folder; use list_files");
        assertThat(call(read, context, "path", "missing.txt").error()).isEqualTo("'missing.txt' does not exist in "
                + "the workspace");
    }

    @Test
    void writeFileRefusesContentOverItsCapAndMissingFoldersWhenAskedNotToCreateThem() throws Exception {
        ToolOutcome tooBig = call(write, context, "path", "big.txt", "content", "é".repeat(600_000));
        assertThat(tooBig.success()).isFalse();
        assertThat(tooBig.error()).contains("1200000 bytes").contains("at most 1048576");
        assertThat(workspace.resolve("big.txt")).doesNotExist();

        ToolOutcome noFolder = call(write, context, "path", "a/b.txt", "content", "x", "createDirectories", false);
        assertThat(noFolder.error()).contains("the folder 'a' does not exist");

        assertThat(call(write, context, "path", "b.txt", "content", "one").output()).startsWith("Created b.txt");
        assertThat(call(write, context, "path", "b.txt", "content", "two").output()).startsWith("Replaced b.txt");
        assertThat(Files.readString(workspace.resolve("b.txt"))).isEqualTo("two");
    }

    @Test
    void editFileReplacesTextThatOccursExactlyOnce() throws Exception {
        Files.writeString(workspace.resolve("app.py"), "x = 1\nprint(x)\nx = 1\ny = 2\n");

        ToolOutcome twice = call(edit, context, "path", "app.py", "oldText", "x = 1", "newText", "x = 3");
        assertThat(twice.success()).isFalse();
        assertThat(twice.error()).contains("occurs 2 times").contains("replaceAll");
        assertThat(Files.readString(workspace.resolve("app.py"))).isEqualTo("x = 1\nprint(x)\nx = 1\ny = 2\n");

        ToolOutcome missing = call(edit, context, "path", "app.py", "oldText", "z = 9", "newText", "z = 0");
        assertThat(missing.error()).contains("oldText was not found in 'app.py'");

        ToolOutcome once = call(edit, context, "path", "app.py", "oldText", "x = 1\ny = 2", "newText", "x = 1\ny = 5");
        assertThat(once.output()).isEqualTo("Replaced 1 occurrence in app.py");
        assertThat(Files.readString(workspace.resolve("app.py"))).isEqualTo("x = 1\nprint(x)\nx = 1\ny = 5\n");

        ToolOutcome all = call(edit, context, "path", "app.py", "oldText", "x", "newText", "n", "replaceAll", true);
        assertThat(all.output()).isEqualTo("Replaced 3 occurrences in app.py");
        assertThat(Files.readString(workspace.resolve("app.py"))).isEqualTo("n = 1\nprint(n)\nn = 1\ny = 5\n");
    }

    @Test
    void editFileRefusesBinaryFilesAndEditsThatPassTheCap() throws Exception {
        Files.write(workspace.resolve("blob.bin"), new byte[] {'a', 0, 'b'});
        assertThat(call(edit, context, "path", "blob.bin", "oldText", "a", "newText", "c").error())
                .contains("is not UTF-8 text");

        Files.writeString(workspace.resolve("grow.txt"), "ab".repeat(1000));
        ToolOutcome grown = call(edit, context, "path", "grow.txt", "oldText", "a", "newText", "x".repeat(1100),
                "replaceAll", true);
        assertThat(grown.error()).contains("would be 1101000 bytes");
        assertThat(Files.readString(workspace.resolve("grow.txt"))).isEqualTo("ab".repeat(1000));
    }

    @Test
    void listFilesShowsFoldersAndSizesAndStopsAtMaxEntries() throws Exception {
        Files.createDirectories(workspace.resolve("src/main"));
        Files.writeString(workspace.resolve("src/main/App.java"), "class App {}");
        Files.writeString(workspace.resolve("README.md"), "hi");

        assertThat(call(list, context).output()).isEqualTo("./ (2 entries)\nREADME.md (2 bytes)\nsrc/\n");
        assertThat(call(list, context, "path", "src", "recursive", true).output())
                .isEqualTo("src/ (2 entries, recursive)\nmain/\nmain/App.java (12 bytes)\n");
        assertThat(call(list, context, "recursive", true, "maxEntries", 2).output())
                .contains("[stopped after 2 entries; list a subfolder or raise maxEntries]");
    }

    @Test
    void searchFilesFindsLinesAndSkipsBinaryAndHugeFiles() throws Exception {
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/a.java"), "class A {\n  // TODO fix\n}\n");
        Files.writeString(workspace.resolve("src/b.md"), "TODO: write docs\n");
        Files.write(workspace.resolve("src/c.bin"), "TODO\0binary".getBytes(StandardCharsets.UTF_8));
        Files.writeString(workspace.resolve("huge.txt"), "TODO\n" + "y".repeat(1024 * 1024));

        ToolOutcome all = call(search, context, "pattern", "TODO");
        assertThat(all.output()).isEqualTo("""
                2 matches in 2 files (searched 2 files; skipped 2 binary, unreadable or larger than 1 MiB)
                src/a.java:2: // TODO fix
                src/b.md:1: TODO: write docs
                """);
        assertThat(call(search, context, "pattern", "TODO", "glob", "*.java").output())
                .contains("src/a.java:2").doesNotContain("b.md");
        assertThat(call(search, context, "pattern", "TO+DO?:", "path", "src").output())
                .contains("src/b.md:1").doesNotContain("a.java");
        assertThat(call(search, context, "pattern", "TODO", "maxResults", 1).output())
                .contains("[stopped at 1 matches");
        assertThat(call(search, context, "pattern", "class A {", "glob", "src/**").output())
                .startsWith("(searched as plain text").contains("src/a.java:1: class A {");
    }

    @Test
    void searchFilesGivesUpOnACatastrophicPatternInsteadOfHanging() throws Exception {
        // polynomial backtracking of degree 12, which Java's regular expressions do not memoize away
        Files.writeString(workspace.resolve("evil.txt"), "a".repeat(60) + "\n");
        long start = System.nanoTime();
        ToolOutcome outcome = call(new SearchFilesTool(Duration.ofSeconds(1)), context, "pattern", "(.*a){12}x");
        assertThat(outcome.output()).startsWith("0 matches").contains("[stopped after 1 seconds; narrow the search]");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    private static String numberedLines(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }
}
