package dev.switchboard.tool.builtin;

import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code write_file}: creates or replaces a text file of the workspace. */
public final class WriteFileTool extends BuiltInTool {

    public WriteFileTool() {
        super("write_file", ToolRisk.ACTS, """
                Creates a text file in your workspace, or replaces its whole content if it exists (to change part \
                of a file, use edit_file). Paths are relative to the workspace; missing folders are created unless \
                createDirectories is false. At most 1 MiB.""", """
                {"type":"object","properties":{\
                "path":{"type":"string","minLength":1,"description":"file path relative to the workspace"},\
                "content":{"type":"string","description":"the complete new content of the file, UTF-8 text"},\
                "createDirectories":{"type":"boolean","description":"create missing parent folders; default true"}},\
                "required":["path","content"],"additionalProperties":false}""");
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        Workspace workspace = Workspace.of(context);
        String path = arguments.requiredString("path");
        String content = arguments.requiredString("content");
        boolean createDirectories = arguments.optionalBoolean("createDirectories", true);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > TextFiles.MAX_WRITE_BYTES) {
            return ToolOutcome.failure("the content is " + bytes.length + " bytes; write_file writes at most "
                    + TextFiles.MAX_WRITE_BYTES + " bytes");
        }
        Path file = workspace.resolve(path);
        boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (existed && Files.isDirectory(file)) {
            return ToolOutcome.failure("'" + path + "' is a folder");
        }
        if (existed && !Files.isRegularFile(file)) {
            return ToolOutcome.failure("'" + path + "' is not a regular file");
        }
        try {
            Path parent = file.getParent();
            if (!Files.isDirectory(parent)) {
                if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                    return ToolOutcome.failure("'" + workspace.shown(parent) + "' is a file, not a folder");
                }
                if (!createDirectories) {
                    return ToolOutcome.failure("the folder '" + workspace.shown(parent) + "' does not exist; "
                            + "create it or set createDirectories to true");
                }
                Files.createDirectories(parent);
            }
            // the path is real up to here: refuse a link someone put in its place meanwhile
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return ToolOutcome.failure("cannot write '" + path + "': " + workspace.describe(e));
        }
        return ToolOutcome.success((existed ? "Replaced " : "Created ") + workspace.shown(file) + " ("
                + bytes.length + " bytes)");
    }
}
