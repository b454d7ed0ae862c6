package dev.switchboard.tool.builtin;

import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** {@code list_files}: what a folder of the workspace holds, optionally everything below it. */
public final class ListFilesTool extends BuiltInTool {

    static final int DEFAULT_MAX_ENTRIES = 200;
    static final int MAX_ENTRIES = 5000;
    private static final int MAX_DEPTH = 64;

    public ListFilesTool() {
        super("list_files", ToolRisk.READS, """
                Lists the files and folders in your workspace or one of its folders, sorted by name. Folders end \
                with '/', files show their size. Set recursive to list everything below the folder too.""", """
                {"type":"object","properties":{\
                "path":{"type":"string","description":"folder relative to the workspace; the workspace itself when omitted"},\
                "recursive":{"type":"boolean","description":"also list the contents of subfolders; default false"},\
                "maxEntries":{"type":"integer","minimum":1,"maximum":5000,"description":"most entries to list; default 200"}},\
                "additionalProperties":false}""");
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        Workspace workspace = Workspace.of(context);
        String path = arguments.optionalString("path");
        boolean recursive = arguments.optionalBoolean("recursive", false);
        int maxEntries = arguments.optionalInt("maxEntries", DEFAULT_MAX_ENTRIES, 1, MAX_ENTRIES);
        Path dir = path == null || path.isBlank() || path.equals(".") ? workspace.realRoot() : workspace.existing(path);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return ToolOutcome.failure("'" + path + "' is not a folder; use read_file to read a file");
        }
        List<String> lines = new ArrayList<>();
        boolean[] more = {false};
        try {
            Workspace.walk(dir, recursive ? MAX_DEPTH : 1, (entry, attributes) -> {
                if (lines.size() == maxEntries) {
                    more[0] = true;
                    return false;
                }
                lines.add(line(dir.relativize(entry), attributes));
                return true;
            });
        } catch (IOException e) {
            return ToolOutcome.failure("cannot list '" + workspace.shown(dir) + "': " + workspace.describe(e));
        }
        StringBuilder out = new StringBuilder(workspace.shown(dir)).append("/ (")
                .append(lines.isEmpty() ? "empty" : lines.size() + (lines.size() == 1 ? " entry" : " entries"))
                .append(recursive ? ", recursive" : "").append(")\n");
        lines.forEach(line -> out.append(line).append('\n'));
        if (more[0]) {
            out.append("[stopped after ").append(maxEntries).append(" entries; list a subfolder or raise maxEntries]\n");
        }
        return ToolOutcome.success(out.toString());
    }

    private static String line(Path relative, BasicFileAttributes attributes) {
        String name = relative.toString().replace('\\', '/');
        if (attributes.isSymbolicLink()) {
            return name + " (symbolic link)";
        }
        if (attributes.isDirectory()) {
            return name + "/";
        }
        if (!attributes.isRegularFile()) {
            return name + " (special file)";
        }
        return name + " (" + attributes.size() + " bytes)";
    }
}
