package dev.switchboard.skill;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The skill catalog shipped inside the server ({@code skill-catalog/<id>/SKILL.md} resources, listed in
 * {@code skill-catalog/index.txt}): skills an administrator installs for an agent with one call.
 */
public final class BundledSkills {

    private static final String ROOT = "/skill-catalog/";

    private final List<Skill> skills;

    private BundledSkills(List<Skill> skills) {
        this.skills = List.copyOf(skills);
    }

    /** Reads the catalog from the class path; a broken entry is a build mistake and fails the start. */
    public static BundledSkills load() {
        List<Skill> skills = new ArrayList<>();
        for (String id : resource("index.txt").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            skills.add(SkillMarkdown.parse(resource(id + "/SKILL.md"), id, null));
        }
        return new BundledSkills(skills);
    }

    public List<Skill> all() {
        return skills;
    }

    public Optional<Skill> find(String id) {
        return skills.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private static String resource(String name) {
        try (InputStream in = BundledSkills.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("The bundled skill catalog lacks " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ROOT + name, e);
        }
    }
}
