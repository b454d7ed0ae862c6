package dev.switchboard.model;

import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The GGUF model files under the home's {@code models/} folder: the folder is the registry (seed 004's local models),
 * so a file copied in by hand is as installed as one pulled. A model's id is its path inside the folder with
 * {@code /} separators ({@code tiny.gguf}, {@code org/repo/q4.gguf}); the {@code .gguf} may be left out. No path
 * ever leaves the folder.
 */
public final class LocalModels {

    /** One model file and what its header says (or why it cannot be read). */
    public record LocalModel(String id, Path file, long sizeBytes, Optional<GgufHeader> header, String error,
            String source, String sourceUrl) {

        public boolean valid() {
            return header.isPresent();
        }

        /** {@code general.name}, else the file name without {@code .gguf}. */
        public String displayName() {
            return header.map(GgufHeader::name).filter(n -> !n.isBlank())
                    .orElse(file.getFileName().toString().replaceFirst("(?i)\\.gguf$", ""));
        }
    }

    private static final String SOURCE_SUFFIX = ".source";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*){0,3}");

    private final Path folder;
    private volatile Consumer<Path> beforeDelete = path -> { };

    public LocalModels(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** Called with a model file before it is deleted, so a loaded model can be unloaded first. */
    public void beforeDelete(Consumer<Path> action) {
        this.beforeDelete = action;
    }

    /** Every {@code .gguf} under the folder, by id. */
    public List<LocalModel> list() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder, 4)) {
            List<Path> ggufs = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
            List<LocalModel> models = new ArrayList<>();
            for (Path file : ggufs) {
                models.add(describe(file));
            }
            return models;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model of that id; 404 when there is no such file. */
    public LocalModel find(String id) {
        return describe(resolve(id, "modelId"));
    }

    /**
     * The file a model id or path names, inside the folder and existing: {@code field} is named in the 400 for a
     * path outside the folder, and the 404 says which file is missing.
     */
    public Path resolve(String idOrPath, String field) {
        if (idOrPath == null || idOrPath.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        String given = idOrPath.strip();
        Path candidate;
        if (given.startsWith("/")) {
            candidate = Path.of(given).toAbsolutePath().normalize();
            if (!candidate.startsWith(folder)) {
                throw new InvalidInputException(field, field + " must be inside the models folder " + folder);
            }
        } else {
            if (!ID.matcher(given).matches() || given.contains("..")) {
                throw new InvalidInputException(field, field + " must be a model id: a path inside the models folder "
                        + "of letters, digits and ._- segments, such as tiny.gguf or org/repo/model.gguf");
            }
            candidate = folder.resolve(given).normalize();
        }
        if (!candidate.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            Path withSuffix = candidate.resolveSibling(candidate.getFileName() + ".gguf");
            candidate = Files.exists(withSuffix) || !Files.exists(candidate) ? withSuffix : candidate;
        }
        if (!candidate.startsWith(folder)) {
            throw new InvalidInputException(field, field + " must be inside the models folder");
        }
        if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundException("model file '" + folder.relativize(candidate) + "' not found in the models "
                    + "folder " + folder, java.util.Map.of("kind", "model", "id", idOrPath.strip()));
        }
        return candidate;
    }

    /** Checks a model file: 400 naming {@code field} and the problem when it is not a loadable GGUF. */
    public LocalModel validate(String idOrPath, String field) {
        LocalModel model = describe(resolve(idOrPath, field));
        if (!model.valid()) {
            throw new InvalidInputException(field, "'" + model.id() + "' is not a valid GGUF model: " + model.error());
        }
        return model;
    }

    /** Removes the model file (and its source note); answers the id. */
    public String delete(String id) {
        Path file = resolve(id, "modelId");
        beforeDelete.accept(file);
        try {
            Files.delete(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + SOURCE_SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return idOf(file);
    }

    /** Records where a pulled file came from, for the listing's {@code source}. */
    public void noteSource(Path file, String source, String url) {
        Properties note = new Properties();
        note.setProperty("source", source);
        note.setProperty("url", url);
        try (OutputStream out = Files.newOutputStream(file.resolveSibling(file.getFileName() + SOURCE_SUFFIX))) {
            note.store(out, "where this model came from");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LocalModel describe(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        Optional<GgufHeader> header = Optional.empty();
        String error = null;
        try {
            header = Optional.of(GgufHeader.read(file));
        } catch (GgufHeader.InvalidGgufException e) {
            error = e.getMessage();
        } catch (IOException e) {
            error = "the file cannot be read: " + e.getMessage();
        }
        Properties note = new Properties();
        Path notePath = file.resolveSibling(file.getFileName() + SOURCE_SUFFIX);
        if (Files.isRegularFile(notePath)) {
            try (InputStream in = Files.newInputStream(notePath)) {
                note.load(in);
            } catch (IOException e) {
                // an unreadable note only loses the source
            }
        }
        return new LocalModel(idOf(file), file, size, header, error, note.getProperty("source", "manual"),
                note.getProperty("url"));
    }

    private String idOf(Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }
}
