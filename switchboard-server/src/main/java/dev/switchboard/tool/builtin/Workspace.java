package dev.switchboard.tool.builtin;

import dev.switchboard.tool.ToolContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An agent's workspace folder, the only place its file tools touch. Every path a model gives goes through here:
 * it must be relative, without {@code ..}, and must not leave the folder through a symbolic link, whether the
 * link is the file itself or one of its parent folders. Made for one tool call, on its thread.
 */
public final class Workspace {

    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:.*");

    private final Path root;
    private Path realRoot;

    public Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The workspace of the agent making the call. */
    static Workspace of(ToolContext context) {
        if (context.workspace() == null) {
            throw new ToolFailure("this agent has no workspace folder, so it cannot use file or command tools");
        }
        return new Workspace(context.workspace());
    }

    /** The workspace's real path, creating the folder on first use. */
    Path realRoot() {
        if (realRoot != null) {
            return realRoot;
        }
        try {
            Files.createDirectories(root);
            realRoot = root.toRealPath();
            return realRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the workspace " + root, e);
        }
    }

    /** The real path of something that must exist already (to read or list). */
    Path existing(String path) {
        Path resolved = resolve(path);
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolFailure("'" + path + "' does not exist in the workspace");
        }
        return resolved;
    }

    /**
     * Where a path the model named lies, inside the workspace: the real path of its existing part, followed by the
     * names that do not exist yet (a file about to be written).
     */
    Path resolve(String path) {
        checkSyntax(path);
        Path realRoot = realRoot();
        Path candidate;
        try {
            candidate = realRoot.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new ToolFailure("'" + path + "' is not a valid path: " + e.getReason());
        }
        if (!candidate.startsWith(realRoot)) {
            throw new ToolFailure("'" + path + "' is outside the workspace");
        }
        Path existing = candidate;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ToolFailure("'" + path + "' goes through a symbolic link to something that does not exist");
        } catch (IOException e) {
            throw new ToolFailure("'" + path + "' cannot be resolved: " + describe(e));
        }
        if (!real.startsWith(realRoot)) {
            throw new ToolFailure("'" + path + "' leads outside the workspace through a symbolic link");
        }
        return real.resolve(existing.relativize(candidate));
    }

    private static void checkSyntax(String path) {
        if (path == null || path.isBlank()) {
            throw new ToolFailure("the path must not be empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw new ToolFailure("the path must not contain NUL characters");
        }
        if (path.startsWith("~")) {
            throw new ToolFailure("'" + path + "': '~' paths are not allowed; give a path relative to the workspace");
        }
        if (path.startsWith("/") || path.startsWith("\\") || WINDOWS_ABSOLUTE.matcher(path).matches()) {
            throw new ToolFailure("'" + path + "' is an absolute path; give a path relative to the workspace");
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw new ToolFailure("'" + path + "': '..' is not allowed; paths stay inside the workspace");
            }
        }
    }

    /** How the model sees a path: relative to the workspace, with {@code /} between names. */
    String shown(Path real) {
        Path relative = realRoot().relativize(real);
        String text = relative.toString().replace('\\', '/');
        return text.isEmpty() ? "." : text;
    }

    /** What went wrong with a file, in words, without the server's absolute paths. */
    String describe(IOException e) {
        String file = e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
                ? shownOrRaw(fs.getFile()) : null;
        return switch (e) {
            case NoSuchFileException x -> "'" + file + "' does not exist";
            case AccessDeniedException x -> "permission denied for '" + file + "'";
            case FileAlreadyExistsException x -> "'" + file + "' already exists";
            case NotDirectoryException x -> "'" + file + "' is not a folder";
            case DirectoryNotEmptyException x -> "'" + file + "' is not empty";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason()
                    + (file == null ? "" : " ('" + file + "')");
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }

    private String shownOrRaw(String file) {
        try {
            Path path = Path.of(file);
            return path.startsWith(realRoot()) ? shown(path) : path.getFileName().toString();
        } catch (InvalidPathException e) {
            return file;
        }
    }

    /** The entries of a folder, sorted by name. */
    static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    /**
     * Visits everything under {@code start} depth first in name order, never following symbolic links, until the
     * visitor returns false; folders it cannot read are skipped.
     */
    static void walk(Path start, int maxDepth, Visitor visitor) throws IOException {
        List<Path> stack = new ArrayList<>(children(start).reversed());
        List<Integer> depths = new ArrayList<>(java.util.Collections.nCopies(stack.size(), 1));
        while (!stack.isEmpty()) {
            Path path = stack.removeLast();
            int depth = depths.removeLast();
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                continue;
            }
            if (!visitor.visit(path, attributes)) {
                return;
            }
            if (attributes.isDirectory() && depth < maxDepth) {
                try {
                    List<Path> below = children(path);
                    for (Path child : below.reversed()) {
                        stack.add(child);
                        depths.add(depth + 1);
                    }
                } catch (IOException unreadable) {
                    // a folder that cannot be listed is shown but not entered
                }
            }
        }
    }

    /** Sees one entry of a {@link #walk}; returns false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(Path path, BasicFileAttributes attributes);
    }
}
