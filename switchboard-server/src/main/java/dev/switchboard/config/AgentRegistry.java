package dev.switchboard.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agents that can be installed (seed 004's registry): the templates shipped with the server, and agent files an
 * administrator puts in the home's {@code registry/} folder (with an optional {@code <id>.meta.json} for author and
 * tags). Installing copies the file into {@code agents/}; installed agents keep their metadata beside their file in
 * {@code agents/<id>.meta.json}.
 */
public final class AgentRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUNDLED = "/agent-registry/";

    /** What the registry says about an agent; {@code type} is {@code builtin} (shipped) or {@code custom}. */
    public record Entry(String id, String name, String description, String author, List<String> tags, String type) {

        public Entry {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** The bundled index's shape. */
    private record Indexed(String id, String name, String description, String author, List<String> tags,
            String file) {
    }

    private final Path registryDir;
    private final Path agentsDir;
    private final Map<String, Indexed> bundled = new LinkedHashMap<>();

    public AgentRegistry(Path registryDir, Path agentsDir) {
        this.registryDir = registryDir;
        this.agentsDir = agentsDir;
        try (InputStream in = AgentRegistry.class.getResourceAsStream(BUNDLED + "index.json")) {
            List<Indexed> index = JSON.readValue(in, new TypeReference<List<Indexed>>() { });
            index.forEach(entry -> bundled.put(entry.id(), entry));
        } catch (IOException e) {
            throw new UncheckedIOException("The bundled agent registry is unreadable", e);
        }
    }

    /** Every installable agent: the shipped templates, then the files of {@code registry/}. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        bundled.values().forEach(b -> entries.add(new Entry(b.id(), b.name(), b.description(), b.author(), b.tags(),
                "builtin")));
        if (Files.isDirectory(registryDir)) {
            try (var files = Files.list(registryDir)) {
                files.filter(p -> p.getFileName().toString().matches("[a-z0-9][a-z0-9_-]{0,63}\\.ya?ml")).sorted()
                        .forEach(p -> {
                            String id = p.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                            if (!bundled.containsKey(id)) {
                                Entry meta = metadata(registryDir, id, "custom");
                                String[] named = nameAndDescription(p);
                                entries.add(new Entry(id, named[0] != null ? named[0] : meta.name(),
                                        named[1] != null ? named[1] : meta.description(), meta.author(), meta.tags(),
                                        "custom"));
                            }
                        });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + registryDir, e);
            }
        }
        return entries;
    }

    public Optional<Entry> find(String id) {
        return entries().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The agent file text of a registry entry. */
    public String yamlOf(String id) {
        Indexed shipped = bundled.get(id);
        if (shipped != null) {
            try (InputStream in = AgentRegistry.class.getResourceAsStream(BUNDLED + shipped.file())) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("The bundled agent " + id + " is unreadable", e);
            }
        }
        Path file = registryDir.resolve(id + ".yml");
        if (!Files.exists(file)) {
            file = registryDir.resolve(id + ".yaml");
        }
        if (!Files.exists(file)) {
            throw new NotFoundException("registry agent", id);
        }
        return read(file);
    }

    /**
     * The agent file text at {@code sourcePath}, which must lie inside the home's {@code registry/} folder (an
     * administrator puts files there): the API never reads other files of the server.
     */
    public String yamlAt(String sourcePath) {
        Path root = registryDir.toAbsolutePath().normalize();
        Path source = root.resolve(sourcePath).normalize();
        if (!source.startsWith(root)) {
            throw new InvalidInputException("sourcePath", "must name a file inside the home's registry/ folder ("
                    + root + ")");
        }
        if (Files.isDirectory(source)) {
            Path inside = source.resolve("agent.yml");
            source = Files.exists(inside) ? inside : source.resolve("agent.yaml");
        }
        if (!Files.isRegularFile(source) || !source.getFileName().toString().matches(".+\\.ya?ml")) {
            throw new InvalidInputException("sourcePath", "no agent file (.yml) at " + sourcePath
                    + " inside the registry/ folder");
        }
        return read(source);
    }

    /** The metadata kept beside an installed agent's file (from its registry entry, or given at creation). */
    public Entry installedMetadata(String id, String name, String description) {
        Entry stored = metadata(agentsDir, id, null);
        return new Entry(id, name, description, stored.author(), stored.tags(),
                stored.type() == null ? (bundled.containsKey(id) ? "builtin" : "custom") : stored.type());
    }

    /** Keeps author, tags and type beside the installed agent's file. */
    public void saveMetadata(String id, String author, List<String> tags, String type) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (author != null) {
            meta.put("author", author);
        }
        meta.put("tags", tags == null ? List.of() : tags);
        meta.put("type", type);
        try {
            Files.writeString(agentsDir.resolve(id + ".meta.json"), JSON.writeValueAsString(meta));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the metadata of agent " + id, e);
        }
    }

    /** Removes the metadata of an uninstalled agent. */
    public void forget(String id) {
        try {
            Files.deleteIfExists(agentsDir.resolve(id + ".meta.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the metadata of agent " + id, e);
        }
    }

    private static Entry metadata(Path dir, String id, String type) {
        Path file = dir.resolve(id + ".meta.json");
        String author = null;
        List<String> tags = List.of();
        String storedType = type;
        String name = id;
        String description = null;
        if (Files.exists(file)) {
            try {
                var node = JSON.readTree(file.toFile());
                author = node.path("author").isTextual() ? node.path("author").asText() : null;
                List<String> read = new ArrayList<>();
                node.path("tags").forEach(t -> read.add(t.asText()));
                tags = read;
                storedType = node.path("type").isTextual() ? node.path("type").asText() : type;
                name = node.path("name").isTextual() ? node.path("name").asText() : id;
                description = node.path("description").isTextual() ? node.path("description").asText() : null;
            } catch (IOException e) {
                // an unreadable sidecar only loses the metadata, never the agent
            }
        }
        return new Entry(id, name, description, author, tags, storedType);
    }

    /** The {@code name} and {@code description} an agent file gives, each null when absent or unreadable. */
    private static String[] nameAndDescription(Path file) {
        try {
            var tree = YAML.readTree(file.toFile());
            return new String[] {tree.path("name").isTextual() ? tree.path("name").asText() : null,
                    tree.path("description").isTextual() ? tree.path("description").asText() : null};
        } catch (IOException | RuntimeException e) {
            return new String[2];
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
