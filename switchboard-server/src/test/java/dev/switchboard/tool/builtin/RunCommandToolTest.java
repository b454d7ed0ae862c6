package dev.switchboard.tool.builtin;

import static dev.switchboard.tool.builtin.ToolCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class RunCommandToolTest {

    @TempDir
    Path dir;

    Path workspace;
    ToolContext context;
    final Map<String, String> serverEnv = Map.of("PATH", System.getenv("PATH"), "OPENAI_API_KEY", "sk-secret",
            "SWITCHBOARD_API_KEY", "sb-secret", "DATABASE_PASSWORD", "hunter2");
    final RunCommandTool tool = new RunCommandTool(new ServerConfig.CommandTool(null, null), serverEnv);

    @BeforeEach
    void prepare() {
        workspace = dir.resolve("workspace");
        context = ToolCalls.context(workspace);
    }

    @Test
    void itIsDangerousSoEveryModeAsksFirst() {
        assertThat(tool.risk()).isEqualTo(ToolRisk.DANGEROUS);
    }

    @Test
    void runsTheProgramWithItsArgumentsInTheWorkspaceAndReturnsTheOutputAndExitCode() throws Exception {
        ToolOutcome echo = call(tool, context, "command", "echo", "args", List.of("hello", "$HOME", "*"));
        assertThat(echo.success()).isTrue();
        assertThat(echo.output()).isEqualTo("exit code 0\nhello $HOME *\n");

        ToolOutcome pwd = call(tool, context, "command", "pwd");
        assertThat(pwd.output()).isEqualTo("exit code 0\n" + workspace.toRealPath() + "\n");

        assertThat(call(tool, context, "command", "printf", "args", List.of("%s-%s", "a", "b")).output())
                .isEqualTo("exit code 0\na-b");
    }

    @Test
    void aNonZeroExitIsAFailureWithTheCodeAndBothOutputStreams() {
        ToolOutcome outcome = call(tool, context, "command", "sh", "args",
                List.of("-c", "echo out; echo err >&2; exit 3"));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isEqualTo("exit code 3\nout\nerr\n");
    }

    @Test
    void theTimeoutKillsTheCommandAndItsChildrenPromptly() throws Exception {
        long start = System.nanoTime();
        ToolOutcome outcome = call(tool, context, "command", "sh", "args",
                List.of("-c", "sleep 30 & echo child $!; wait"), "timeoutSeconds", 1);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).startsWith("timed out after 1 s; the command and its child processes were killed");
        long child = Long.parseLong(outcome.error().replaceAll("(?s).*child (\\d+).*", "$1"));
        assertThat(waitUntilGone(child)).as("the backgrounded sleep was killed too").isTrue();
    }

    @Test
    void cancellingTheRunKillsTheCommand() throws Exception {
        Cancellation cancellation = new Cancellation();
        ToolContext cancellable = ToolCalls.context(workspace, null, cancellation);
        Files.createDirectories(workspace);
        CompletableFuture<ToolOutcome> running = CompletableFuture.supplyAsync(() -> call(tool, cancellable,
                "command", "sh", "args", List.of("-c", "touch started; sleep 30")));
        while (!Files.exists(workspace.resolve("started"))) {
            Thread.sleep(10);
        }
        cancellation.cancel();

        assertThat(running.get(10, TimeUnit.SECONDS).error()).startsWith("cancelled; the command was killed");
    }

    @Test
    void anUnknownCommandIsAClearFailure() {
        ToolOutcome outcome = call(tool, context, "command", "no-such-command-xyz");

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).startsWith("command 'no-such-command-xyz' was not found on PATH (");
    }

    @Test
    void longOutputKeepsItsBeginningAndEnd() {
        RunCommandTool small = new RunCommandTool(new ServerConfig.CommandTool(null, 1000), serverEnv);
        ToolOutcome outcome = call(small, context, "command", "sh", "args",
                List.of("-c", "echo BEGIN; head -c 100000 /dev/zero | tr '\\0' x; echo; echo END"));

        assertThat(outcome.output()).startsWith("exit code 0\nBEGIN\nxxx").endsWith("xxx\nEND\n")
                .contains("[… 99011 bytes of output cut; 100011 bytes in all …]");
        assertThat(outcome.output().length()).isLessThan(1200);
    }

    @Test
    void theCommandSeesOnlyAMinimalEnvironmentWithoutTheServersSecrets() throws Exception {
        ToolOutcome outcome = call(tool, context, "command", "env");

        List<String> names = Arrays.stream(outcome.output().split("\n")).skip(1)
                .map(line -> line.substring(0, line.indexOf('='))).sorted().toList();
        assertThat(names).containsExactly("HOME", "LANG", "PATH");
        assertThat(outcome.output()).contains("HOME=" + workspace.toRealPath())
                .doesNotContain("sk-secret", "sb-secret", "hunter2");
    }

    @Test
    void theInputIsClosed() {
        ToolOutcome outcome = call(tool, context, "command", "cat", "timeoutSeconds", 5);

        assertThat(outcome.output()).isEqualTo("exit code 0\n(no output)");
    }

    @Test
    void theSchemaCapsTheTimeoutAtTheConfiguredMaximum() {
        RunCommandTool capped = new RunCommandTool(new ServerConfig.CommandTool(10, null), serverEnv);
        assertThat(ToolCalls.schemaProblems(capped, "command", "ls", "timeoutSeconds", 11)).isNotEmpty();
        assertThat(ToolCalls.schemaProblems(capped, "command", "ls", "timeoutSeconds", 10)).isEmpty();
        assertThat(ToolCalls.schemaProblems(capped, "command", "ls", "args", "-la")).isNotEmpty();
        assertThat(capped.spec().description()).contains("default 10, at most 10");
    }

    private static boolean waitUntilGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
