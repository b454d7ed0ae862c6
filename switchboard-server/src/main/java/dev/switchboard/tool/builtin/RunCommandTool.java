package dev.switchboard.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * {@code run_command}: runs a program in the agent's workspace, without a shell, with a minimal environment (none
 * of the server's secrets), no input, a timeout that kills the whole process tree, and a cap on the output kept.
 */
public final class RunCommandTool extends BuiltInTool {

    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    /** How long the output may stay open after the command ended (a background child still holding it). */
    private static final long DRAIN_MILLIS = 2000;
    private static final Pattern ERRNO_NOT_FOUND = Pattern.compile("error(=|: )2\\b");
    private static final Pattern ERRNO_DENIED = Pattern.compile("error(=|: )13\\b");

    private final int maxTimeoutSeconds;
    private final int maxOutputBytes;
    private final String path;

    /**
     * @param serverEnv the server's environment; only its {@code PATH} is passed on
     */
    public RunCommandTool(ServerConfig.CommandTool settings, Map<String, String> serverEnv) {
        super("run_command", ToolRisk.DANGEROUS, """
                Runs a program in your workspace folder and returns its exit code and output (standard output and \
                standard error together). There is no shell: give the program as command and each argument as one \
                element of args (no quoting, pipes, redirections or globs; to use those, run sh with args ["-c", \
                "..."]). Nothing is sent to its input. It is killed, with its child processes, after timeoutSeconds \
                (default %d, at most %d). Long output keeps its beginning and its end."""
                .formatted(Math.min(DEFAULT_TIMEOUT_SECONDS, settings.maxTimeoutSeconds()),
                        settings.maxTimeoutSeconds()), """
                {"type":"object","properties":{\
                "command":{"type":"string","minLength":1,"description":"the program: a name found on PATH or a path"},\
                "args":{"type":"array","items":{"type":"string"},"maxItems":10000,"description":"its arguments, one element each"},\
                "timeoutSeconds":{"type":"integer","minimum":1,"maximum":%d,"description":"seconds before it is killed"}},\
                "required":["command"],"additionalProperties":false}""".formatted(settings.maxTimeoutSeconds()));
        this.maxTimeoutSeconds = settings.maxTimeoutSeconds();
        this.maxOutputBytes = settings.maxOutputBytes();
        String serverPath = serverEnv.get("PATH");
        this.path = serverPath == null || serverPath.isBlank() ? DEFAULT_PATH : serverPath;
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        String command = arguments.requiredString("command");
        List<String> line = new ArrayList<>();
        line.add(command);
        JsonNode args = arguments.get("args");
        if (args != null) {
            if (!args.isArray()) {
                throw new ToolFailure("'args' must be an array of strings");
            }
            for (JsonNode arg : args) {
                if (!arg.isTextual()) {
                    throw new ToolFailure("'args' must be an array of strings");
                }
                line.add(arg.asText());
            }
        }
        if (command.isBlank() || line.stream().anyMatch(part -> part.indexOf('\0') >= 0)) {
            throw new ToolFailure("the command and its arguments must be non-empty text without NUL characters");
        }
        int timeout = arguments.optionalInt("timeoutSeconds", Math.min(DEFAULT_TIMEOUT_SECONDS, maxTimeoutSeconds),
                1, maxTimeoutSeconds);
        Path dir = Workspace.of(context).realRoot();

        ProcessBuilder builder = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", path);
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return ToolOutcome.failure(startFailure(command, e));
        }
        Output output = new Output(process.getInputStream(), maxOutputBytes);
        Thread reader = Thread.ofVirtual().name("run_command-output").start(output);
        AtomicBoolean cancelled = new AtomicBoolean();
        boolean finished;
        try (AutoCloseable onCancel = context.cancellation().onCancel(() -> {
            cancelled.set(true);
            killTree(process);
        })) {
            process.getOutputStream().close();
            finished = process.waitFor(timeout, TimeUnit.SECONDS);
            if (!finished) {
                killTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return ToolOutcome.failure("interrupted; the command was killed");
        } catch (Exception e) {
            killTree(process);
            return ToolOutcome.failure("the command failed to run: " + e);
        }
        String text = output.text() + (reader.isAlive()
                ? "\n[stopped reading: a background process still holds the output open]" : "");
        if (cancelled.get()) {
            return ToolOutcome.failure("cancelled; the command was killed\n" + text);
        }
        if (!finished) {
            return ToolOutcome.failure("timed out after " + timeout + " s; the command and its child processes were "
                    + "killed\n" + text);
        }
        int exit = process.exitValue();
        return exit == 0 ? ToolOutcome.success("exit code 0\n" + text)
                : ToolOutcome.failure("exit code " + exit + "\n" + text);
    }

    /** Kills the process and every process it started that is still its descendant. */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private String startFailure(String command, IOException e) {
        String message = String.valueOf(e.getMessage());
        // the JDK words it "error=2, ..." or "error: 2 (...)" depending on how it launches processes
        if (ERRNO_NOT_FOUND.matcher(message).find()) {
            return "command '" + command + "' was not found" + (command.contains("/") ? ""
                    : " on PATH (" + path + ")");
        }
        if (ERRNO_DENIED.matcher(message).find()) {
            return "command '" + command + "' cannot be run: permission denied";
        }
        return "command '" + command + "' could not be started: " + message;
    }

    /** Reads a process's output to its end, keeping its first and last bytes within the cap. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final int headLimit;
        private final int tailLimit;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tail;
        private int tailStart;
        private int tailLength;
        private long total;

        Output(InputStream in, int cap) {
            this.in = in;
            this.headLimit = cap / 2;
            this.tailLimit = cap - headLimit;
            this.tail = new byte[tailLimit];
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // the process was killed or its output closed: keep what was read
            }
        }

        private synchronized void append(byte[] buffer, int n) {
            total += n;
            int i = 0;
            if (head.size() < headLimit) {
                int taken = Math.min(n, headLimit - head.size());
                head.write(buffer, 0, taken);
                i = taken;
            }
            for (; i < n; i++) {
                tail[(tailStart + tailLength) % tailLimit] = buffer[i];
                if (tailLength < tailLimit) {
                    tailLength++;
                } else {
                    tailStart = (tailStart + 1) % tailLimit;
                }
            }
        }

        synchronized String text() {
            byte[] end = new byte[tailLength];
            for (int i = 0; i < tailLength; i++) {
                end[i] = tail[(tailStart + i) % tailLimit];
            }
            if (total == 0) {
                return "(no output)";
            }
            String first = head.toString(StandardCharsets.UTF_8);
            String last = new String(end, StandardCharsets.UTF_8);
            long cut = total - head.size() - tailLength;
            return cut == 0 ? first + last
                    : first + "\n[… " + cut + " bytes of output cut; " + total + " bytes in all …]\n" + last;
        }
    }
}
