package dev.switchboard.skill;

import dev.switchboard.failure.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skills as files in the home folder: shared ones in {@code skills/<id>/SKILL.md}, an agent's own in
 * {@code agents/<agentId>.skills/<id>/SKILL.md}, and the skills an agent switched off listed one id a line in
 * {@code agents/<agentId>.skills/disabled.txt}. Read from disk on every call, so files an operator edits by hand
 * count at once; a file that does not parse is skipped with a warning rather than failing the agent's runs.
 */
public final class FileSkillCatalog implements SkillCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(FileSkillCatalog.class);
    private static final String FILE = "SKILL.md";
    private static final String DISABLED = "disabled.txt";

    private final Path sharedDir;
    private final Path agentsDir;
    private final Object writing = new Object();
    /** Which broken files were already reported, so a run does not log the same warning each time. */
    private final Set<Path> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FileSkillCatalog(Path sharedDir, Path agentsDir) {
        this.sharedDir = sharedDir;
        this.agentsDir = agentsDir;
    }

    @Override
    public List<Skill> shared() {
        return readAll(sharedDir, null);
    }

    @Override
    public List<Skill> ofAgent(String agentId) {
        return readAll(agentDir(agentId), agentId);
    }

    @Override
    public Optional<Skill> find(String agentId, String skillId) {
        if (!SkillMarkdown.ID.matcher(skillId).matches()) {
            return Optional.empty();
        }
        Path dir = agentId == null ? sharedDir : agentDir(agentId);
        return read(dir.resolve(skillId).resolve(FILE), skillId, agentId);
    }

    @Override
    public List<Skill> available(String agentId) {
        Set<String> off = disabled(agentId);
        Map<String, Skill> byId = new LinkedHashMap<>();
        for (Skill skill : shared()) {
            byId.put(skill.id(), skill);
        }
        for (Skill skill : ofAgent(agentId)) {
            byId.put(skill.id(), skill);
        }
        byId.keySet().removeAll(off);
        return byId.values().stream().sorted(Comparator.comparing(Skill::id)).toList();
    }

    @Override
    public boolean enabled(String agentId, String skillId) {
        return !disabled(agentId).contains(skillId);
    }

    @Override
    public void setEnabled(String agentId, String skillId, boolean enabled) {
        synchronized (writing) {
            Set<String> off = new LinkedHashSet<>(disabled(agentId));
            if (enabled ? off.remove(skillId) : off.add(skillId)) {
                write(agentDir(agentId).resolve(DISABLED), off.isEmpty() ? "" : String.join("\n", off) + "\n");
            }
        }
    }

    @Override
    public void save(Skill skill) {
        Path dir = (skill.agentId() == null ? sharedDir : agentDir(skill.agentId())).resolve(skill.id());
        synchronized (writing) {
            write(dir.resolve(FILE), SkillMarkdown.render(skill));
        }
    }

    @Override
    public boolean delete(String agentId, String skillId) {
        if (!SkillMarkdown.ID.matcher(skillId).matches()) {
            return false;
        }
        Path dir = (agentId == null ? sharedDir : agentDir(agentId)).resolve(skillId);
        synchronized (writing) {
            if (!Files.isRegularFile(dir.resolve(FILE))) {
                return false;
            }
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + dir, e);
            }
            if (agentId != null) {
                setEnabled(agentId, skillId, true);
            }
            return true;
        }
    }

    private Path agentDir(String agentId) {
        return agentsDir.resolve(agentId + ".skills");
    }

    private Set<String> disabled(String agentId) {
        Path file = agentDir(agentId).resolve(DISABLED);
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        try {
            Set<String> ids = new LinkedHashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ids.add(line.strip());
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private List<Skill> readAll(Path dir, String agentId) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Skill> skills = new ArrayList<>();
        try (var entries = Files.list(dir)) {
            for (Path sub : entries.filter(Files::isDirectory).sorted().toList()) {
                String id = sub.getFileName().toString();
                if (SkillMarkdown.ID.matcher(id).matches()) {
                    read(sub.resolve(FILE), id, agentId).ifPresent(skills::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        return skills;
    }

    private Optional<Skill> read(Path file, String id, String agentId) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Skill skill = SkillMarkdown.parse(Files.readString(file, StandardCharsets.UTF_8), id, agentId);
            reported.remove(file);
            return Optional.of(skill);
        } catch (InvalidInputException e) {
            if (reported.add(file)) {
                LOG.warn("Skipping the skill {}: {} {}", file, e.field(), e.getMessage());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Writes through a temporary file and a move, so a reader never sees half a file. */
    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".skill", ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
