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

/** {@code edit_file}: replaces an exact piece of text in a file of the workspace. */
public final class EditFileTool extends BuiltInTool {

    public EditFileTool() {
        super("edit_file", ToolRisk.ACTS, """
                Changes part of a text file in your workspace: replaces oldText with newText. oldText must match \
                the file exactly, whitespace and line breaks included (without read_file's line-number prefixes), \
                and must occur exactly once unless replaceAll is true; include enough surrounding lines to make \
                it unique. Use write_file to create a file.""", """
                {"type":"object","properties":{\
                "path":{"type":"string","minLength":1,"description":"file path relative to the workspace"},\
                "oldText":{"type":"string","minLength":1,"description":"the exact text to replace"},\
                "newText":{"type":"string","description":"the text to put in its place (may be empty)"},\
                "replaceAll":{"type":"boolean","description":"replace every occurrence instead of exactly one; default false"}},\
                "required":["path","oldText","newText"],"additionalProperties":false}""");
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        Workspace workspace = Workspace.of(context);
        String path = arguments.requiredString("path");
        String oldText = arguments.requiredString("oldText");
        String newText = arguments.requiredString("newText");
        boolean replaceAll = arguments.optionalBoolean("replaceAll", false);
        if (oldText.isEmpty()) {
            return ToolOutcome.failure("oldText must not be empty");
        }
        if (oldText.equals(newText)) {
            return ToolOutcome.failure("oldText and newText are the same; nothing would change");
        }
        Path file = workspace.existing(path);
        if (!Files.isRegularFile(file)) {
            return ToolOutcome.failure("'" + path + "' is not a file");
        }
        try {
            if (Files.size(file) > TextFiles.MAX_WRITE_BYTES) {
                return ToolOutcome.failure("'" + path + "' is larger than " + TextFiles.MAX_WRITE_BYTES
                        + " bytes; edit_file edits smaller files");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = TextFiles.looksBinary(bytes, bytes.length) ? null : TextFiles.strictUtf8(bytes);
            if (text == null) {
                return ToolOutcome.failure("'" + path + "' is not UTF-8 text; edit_file only edits text files");
            }
            int count = occurrences(text, oldText);
            if (count == 0) {
                String hint = text.contains("\r\n") && !oldText.contains("\r\n") && oldText.contains("\n")
                        ? " The file has Windows line breaks (\\r\\n)." : "";
                return ToolOutcome.failure("oldText was not found in '" + path + "'. It must match the file "
                        + "exactly, including whitespace and line breaks; read the file again to copy it." + hint);
            }
            if (count > 1 && !replaceAll) {
                return ToolOutcome.failure("oldText occurs " + count + " times in '" + path + "'; include more "
                        + "surrounding text so that it occurs exactly once, or set replaceAll to true");
            }
            String changed = replaceAll ? text.replace(oldText, newText) : replaceFirst(text, oldText, newText);
            byte[] out = changed.getBytes(StandardCharsets.UTF_8);
            if (out.length > TextFiles.MAX_WRITE_BYTES) {
                return ToolOutcome.failure("the edited file would be " + out.length + " bytes; files are limited to "
                        + TextFiles.MAX_WRITE_BYTES + " bytes");
            }
            Files.write(file, out, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            return ToolOutcome.success("Replaced " + count + (count == 1 ? " occurrence" : " occurrences")
                    + " in " + workspace.shown(file));
        } catch (IOException e) {
            return ToolOutcome.failure("cannot edit '" + path + "': " + workspace.describe(e));
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private static String replaceFirst(String text, String oldText, String newText) {
        int at = text.indexOf(oldText);
        return text.substring(0, at) + newText + text.substring(at + oldText.length());
    }
}
