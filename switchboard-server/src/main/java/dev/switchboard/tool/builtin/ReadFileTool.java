package dev.switchboard.tool.builtin;

import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code read_file}: a text file of the workspace, by lines, numbered. */
public final class ReadFileTool extends BuiltInTool {

    static final int DEFAULT_LIMIT = 2000;

    public ReadFileTool() {
        super("read_file", ToolRisk.READS, """
                Reads a UTF-8 text file from your workspace. Paths are relative to the workspace. Each line comes \
                back prefixed with its line number and a tab; that prefix is not part of the file. Long files come \
                in parts: pass offset (the first line to read, from 1) and limit (how many lines) to read on. \
                Binary files are refused.""", """
                {"type":"object","properties":{\
                "path":{"type":"string","minLength":1,"description":"file path relative to the workspace"},\
                "offset":{"type":"integer","minimum":1,"description":"first line to read, counting from 1; default 1"},\
                "limit":{"type":"integer","minimum":1,"maximum":100000,\
                "description":"how many lines to read at most; default 2000"}},\
                "required":["path"],"additionalProperties":false}""");
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        Workspace workspace = Workspace.of(context);
        String path = arguments.requiredString("path");
        int offset = arguments.optionalInt("offset", 1, 1, Integer.MAX_VALUE);
        int limit = arguments.optionalInt("limit", DEFAULT_LIMIT, 1, 100_000);
        Path file = workspace.existing(path);
        if (Files.isDirectory(file)) {
            throw new ToolFailure("'" + path + "' is a folder; use list_files to see what it holds");
        }
        if (!Files.isRegularFile(file)) {
            throw new ToolFailure("'" + path + "' is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8192);
            if (TextFiles.looksBinary(head, head.length)) {
                return ToolOutcome.failure("'" + path + "' is a binary file (" + Files.size(file)
                        + " bytes); read_file only reads text");
            }
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new SequenceInputStream(new ByteArrayInputStream(head), in), decoder))) {
                return ToolOutcome.success(read(reader, workspace.shown(file), offset, limit));
            }
        } catch (IOException e) {
            return ToolOutcome.failure("cannot read '" + path + "': " + workspace.describe(e));
        }
    }

    /** Reads lines {@code offset..offset+limit-1}, stopping early when the text would pass the size cap. */
    private static String read(BufferedReader reader, String shown, int offset, int limit) throws IOException {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int number = 1;
        int emitted = 0;
        String stopped = null;
        int c;
        int previous = '\n';
        boolean endOfFile = false;
        while (true) {
            c = reader.read();
            if (c == -1) {
                endOfFile = true;
                if (!line.isEmpty() && number >= offset) {
                    emit(out, number, line);
                    emitted++;
                }
                break;
            }
            if (number < offset) {
                if (c == '\n') {
                    number++;
                }
                previous = c;
                continue;
            }
            if (c == '\n') {
                emit(out, number, line);
                emitted++;
                number++;
                if (emitted == limit) {
                    break;
                }
                continue;
            }
            line.append((char) c);
            if (out.length() + line.length() > TextFiles.MAX_READ_CHARS) {
                if (emitted == 0) {
                    emit(out, number, line);
                    emitted++;
                    stopped = "line " + number + " is longer than " + TextFiles.MAX_READ_CHARS
                            + " characters and was cut";
                } else {
                    stopped = "stopped at " + TextFiles.MAX_READ_CHARS / 1024 + " KiB of text; continue with "
                            + "offset=" + number;
                }
                break;
            }
        }
        if (emitted == 0 && stopped == null) {
            int lines = previous == '\n' ? number - 1 : number;
            return lines == 0 ? "File: " + shown + " (empty)"
                    : "File: " + shown + " has " + lines + " lines; offset " + offset + " is past its end";
        }
        if (stopped == null && !endOfFile && reader.read() != -1) {
            stopped = "more lines follow; continue with offset=" + number;
        }
        int last = offset + emitted - 1;
        String header = "File: " + shown + " (lines " + offset + "-" + last + (stopped == null ? ", end of file" : "")
                + ")\n";
        return header + out + (stopped == null ? "" : "[" + stopped + "]\n");
    }

    private static void emit(StringBuilder out, int number, StringBuilder line) {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
        }
        out.append(String.format("%6d\t", number)).append(line).append('\n');
        line.setLength(0);
    }
}
