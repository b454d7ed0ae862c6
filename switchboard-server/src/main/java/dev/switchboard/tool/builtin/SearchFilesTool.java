package dev.switchboard.tool.builtin;

import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code search_files}: the lines of the workspace's text files that match a pattern. */
public final class SearchFilesTool extends BuiltInTool {

    static final int DEFAULT_MAX_RESULTS = 100;
    private static final int MAX_RESULTS = 1000;
    private static final int MAX_DEPTH = 64;
    private static final int SHOWN_LINE = 300;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(10);

    private final Duration timeLimit;

    public SearchFilesTool() {
        this(TIME_LIMIT);
    }

    /** @param timeLimit how long one search may take before it returns what it found */
    SearchFilesTool(Duration timeLimit) {
        super("search_files", ToolRisk.READS, """
                Searches the contents of the text files in your workspace for a regular expression (Java syntax; \
                a pattern that is not a valid expression is searched as plain text) and returns matching lines as \
                path:line: text. Binary files and files over 1 MiB are skipped. Narrow the search with path (a \
                folder) and glob (such as *.java or src/**/*.md).""", """
                {"type":"object","properties":{\
                "pattern":{"type":"string","minLength":1,"description":"regular expression, or plain text, to find in lines"},\
                "path":{"type":"string","description":"folder (or file) to search, relative to the workspace; the whole workspace when omitted"},\
                "glob":{"type":"string","minLength":1,"description":"only files whose name (or path below the searched folder, when it has a '/') matches, such as *.py"},\
                "maxResults":{"type":"integer","minimum":1,"maximum":1000,"description":"most matching lines to return; default 100"}},\
                "required":["pattern"],"additionalProperties":false}""");
        this.timeLimit = timeLimit;
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        Workspace workspace = Workspace.of(context);
        String text = arguments.requiredString("pattern");
        String path = arguments.optionalString("path");
        String glob = arguments.optionalString("glob");
        int maxResults = arguments.optionalInt("maxResults", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        Pattern pattern;
        String note = "";
        try {
            pattern = Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            pattern = Pattern.compile(Pattern.quote(text));
            note = "(searched as plain text: not a valid regular expression)\n";
        }
        PathMatcher matcher = glob == null ? null : matcher(glob);
        Path start = path == null || path.isBlank() || path.equals(".") ? workspace.realRoot()
                : workspace.existing(path);
        Search search = new Search(pattern, matcher, maxResults, timeLimit, context);
        try {
            if (Files.isRegularFile(start)) {
                search.file(start, start.getFileName(), workspace);
            } else {
                Workspace.walk(start, MAX_DEPTH, (file, attributes) -> !attributes.isRegularFile()
                        || search.file(file, start.relativize(file), workspace));
            }
        } catch (IOException e) {
            return ToolOutcome.failure("cannot search '" + path + "': " + workspace.describe(e));
        }
        return ToolOutcome.success(note + search.report());
    }

    private static PathMatcher matcher(String glob) {
        try {
            PathMatcher whole = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (!glob.contains("/")) {
                return relative -> relative.getFileName() != null && whole.matches(relative.getFileName());
            }
            // "**/x" also matches x at the top, as people mean it
            PathMatcher top = glob.startsWith("**/")
                    ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)) : whole;
            return relative -> whole.matches(relative) || top.matches(relative);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("glob '" + glob + "' is not valid: " + e.getMessage());
        }
    }

    /** One search's state: what it found, what it skipped, and whether it must stop. */
    private static final class Search {
        private final Pattern pattern;
        private final PathMatcher matcher;
        private final int maxResults;
        private final long deadline;
        private final String timedOut;
        private final ToolContext context;
        private final List<String> results = new ArrayList<>();
        private int filesSearched;
        private int filesMatched;
        private int skipped;
        private String stopped;

        Search(Pattern pattern, PathMatcher matcher, int maxResults, Duration timeLimit, ToolContext context) {
            this.pattern = pattern;
            this.matcher = matcher;
            this.maxResults = maxResults;
            this.deadline = System.nanoTime() + timeLimit.toNanos();
            this.timedOut = "stopped after " + timeLimit.toSeconds() + " seconds; narrow the search";
            this.context = context;
        }

        /** Searches one file; false when the search must stop. */
        boolean file(Path file, Path relative, Workspace workspace) {
            if (matcher != null && !matcher.matches(relative)) {
                return true;
            }
            if (context.cancellation().isCancelled()) {
                stopped = "the run was cancelled";
                return false;
            }
            byte[] bytes;
            try {
                if (Files.size(file) > TextFiles.MAX_SEARCHED_BYTES) {
                    skipped++;
                    return true;
                }
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                skipped++;
                return true;
            }
            if (TextFiles.looksBinary(bytes, bytes.length)) {
                skipped++;
                return true;
            }
            filesSearched++;
            String shown = workspace.shown(file);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
            boolean matched = false;
            try {
                for (int i = 0; i < lines.length; i++) {
                    Matcher m = pattern.matcher(new Deadline(lines[i], deadline));
                    if (m.find()) {
                        matched = true;
                        String line = lines[i].strip();
                        results.add(shown + ":" + (i + 1) + ": " + (line.length() > SHOWN_LINE
                                ? line.substring(0, SHOWN_LINE) + "…" : line));
                        if (results.size() == maxResults) {
                            stopped = "stopped at " + maxResults + " matches; narrow the search or raise maxResults";
                            return false;
                        }
                    }
                }
            } catch (Deadline.Passed e) {
                stopped = timedOut;
                return false;
            } finally {
                if (matched) {
                    filesMatched++;
                }
            }
            if (System.nanoTime() > deadline) {
                stopped = timedOut;
                return false;
            }
            return true;
        }

        String report() {
            StringBuilder out = new StringBuilder();
            out.append(results.size()).append(results.size() == 1 ? " match" : " matches").append(" in ")
                    .append(filesMatched).append(filesMatched == 1 ? " file" : " files").append(" (searched ")
                    .append(filesSearched).append(filesSearched == 1 ? " file" : " files");
            if (skipped > 0) {
                out.append("; skipped ").append(skipped).append(" binary, unreadable or larger than 1 MiB");
            }
            out.append(")\n");
            results.forEach(r -> out.append(r).append('\n'));
            if (stopped != null) {
                out.append('[').append(stopped).append("]\n");
            }
            return out.toString();
        }
    }

    /** Text that stops a regular expression running past the search's deadline (catastrophic backtracking). */
    private static final class Deadline implements CharSequence {
        private final String text;
        private final long deadline;
        private int reads;

        Deadline(String text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        static final class Passed extends RuntimeException {
            Passed() {
                super(null, null, false, false);
            }
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++reads % 4096 == 0 && System.nanoTime() > deadline) {
                throw new Passed();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
