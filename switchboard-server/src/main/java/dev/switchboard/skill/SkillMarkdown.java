package dev.switchboard.skill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.switchboard.failure.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SKILL.md format: YAML front matter between {@code ---} lines ({@code name}, {@code description}, optional
 * {@code tools}, {@code tags}, {@code version}) and the instructions as the Markdown body. A mistake is an
 * {@link InvalidInputException} naming {@code frontMatter.<key>}.
 */
public final class SkillMarkdown {

    public static final int MAX_BYTES = 256 * 1024;
    public static final int MAX_NAME = 64;
    public static final int MAX_DESCRIPTION = 1024;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    public static final int MAX_TOOLS = 50;
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.:*-]{1,128}");
    /** Keys other tools write into SKILL.md files that carry nothing Switchboard uses; accepted and dropped. */
    private static final Set<String> TOLERATED = Set.of("license", "metadata", "allowed-tools", "author");
    private static final Set<String> KNOWN = Set.of("name", "description", "tools", "tags", "version");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private SkillMarkdown() {
    }

    /** Reads a SKILL.md document into a skill with the given id and scope. */
    public static Skill parse(String text, String id, String agentId) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("content", "is required: a SKILL.md document");
        }
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException("content", "is larger than " + MAX_BYTES + " bytes");
        }
        String normalized = text.replace("\r\n", "\n");
        if (normalized.startsWith("\uFEFF")) {
            normalized = normalized.substring(1);
        }
        if (!normalized.startsWith("---\n")) {
            throw new InvalidInputException("frontMatter", "a SKILL.md file starts with YAML front matter between "
                    + "'---' lines (name, description)");
        }
        int end = normalized.indexOf("\n---", 3);
        while (end >= 0 && !(normalized.length() == end + 4 || normalized.charAt(end + 4) == '\n')) {
            end = normalized.indexOf("\n---", end + 4);
        }
        if (end < 0) {
            throw new InvalidInputException("frontMatter", "is not closed by a '---' line");
        }
        String yaml = normalized.substring(4, end + 1);
        String body = normalized.length() <= end + 5 ? "" : normalized.substring(end + 5);
        JsonNode front;
        try {
            front = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("frontMatter", "is not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        }
        if (front == null || !front.isObject()) {
            throw new InvalidInputException("frontMatter", "must be a YAML mapping with name and description");
        }
        Iterator<String> keys = front.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!KNOWN.contains(key) && !TOLERATED.contains(key)) {
                throw new InvalidInputException("frontMatter." + key, "unknown key (known keys: description, name, "
                        + "tags, tools, version)");
            }
        }
        List<String> tools = strings(front, "tools", MAX_TOOLS, 128);
        if (tools.isEmpty() && front.has("allowed-tools")) {
            tools = strings(front, "allowed-tools", MAX_TOOLS, 128);
        }
        for (int i = 0; i < tools.size(); i++) {
            if (!TOOL.matcher(tools.get(i)).matches()) {
                throw new InvalidInputException("frontMatter.tools[" + i + "]", "must be a tool name (letters, "
                        + "digits, '_', '-', '.', ':', '*')");
            }
        }
        return of(id, agentId, text(front, "name", true), text(front, "description", true), tools,
                strings(front, "tags", MAX_TAGS, MAX_TAG), version(front), body.strip(), "frontMatter.");
    }

    /** A skill from separate values, checked as the front matter would be; {@code prefix} leads field names. */
    public static Skill of(String id, String agentId, String name, String description, List<String> tools,
            List<String> tags, String version, String instructions, String prefix) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.contains("\n")) {
            throw new InvalidInputException(prefix + "name", "is required: one line of 1.." + MAX_NAME
                    + " characters");
        }
        if (description == null || description.isBlank() || description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException(prefix + "description", "is required: 1.." + MAX_DESCRIPTION
                    + " characters saying when the skill applies");
        }
        if (version != null && (version.isBlank() || version.length() > 32 || version.contains("\n"))) {
            throw new InvalidInputException(prefix + "version", "must be one line of 1..32 characters");
        }
        if (instructions == null || instructions.isBlank()) {
            throw new InvalidInputException(prefix.isEmpty() ? "instructions" : "body",
                    "the skill has no instructions");
        }
        String skillId = id == null ? slug(name) : id;
        if (!ID.matcher(skillId).matches()) {
            throw new InvalidInputException("id", "must be 1..64 lower-case letters, digits and '-', starting with a "
                    + "letter or digit");
        }
        return new Skill(skillId, agentId, name.strip(), description.strip(), tools, tags, version,
                instructions.strip());
    }

    /** The SKILL.md document of a skill; {@link #parse} of it gives the same skill back. */
    public static String render(Skill skill) {
        ObjectNode front = YAML.createObjectNode();
        front.put("name", skill.name());
        front.put("description", skill.description());
        if (!skill.tools().isEmpty()) {
            ArrayNode tools = front.putArray("tools");
            skill.tools().forEach(tools::add);
        }
        if (!skill.tags().isEmpty()) {
            ArrayNode tags = front.putArray("tags");
            skill.tags().forEach(tags::add);
        }
        if (skill.version() != null) {
            front.put("version", skill.version());
        }
        try {
            return "---\n" + YAML.writeValueAsString(front) + "---\n\n" + skill.instructions() + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the front matter of skill " + skill.id(), e);
        }
    }

    /** An id made from a name: {@code Code Review!} gives {@code code-review}. */
    public static String slug(String name) {
        String slug = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        slug = slug.length() > 64 ? slug.substring(0, 64).replaceAll("-+$", "") : slug;
        return slug.isEmpty() ? "skill" : slug;
    }

    private static String text(JsonNode front, String key, boolean required) {
        JsonNode value = front.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException("frontMatter." + key, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException("frontMatter." + key, "must be a string");
        }
        return value.asText();
    }

    private static String version(JsonNode front) {
        JsonNode value = front.get("version");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new InvalidInputException("frontMatter.version", "must be a string such as 1.0.0");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode front, String key, int max, int maxLength) {
        JsonNode value = front.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual() && key.equals("allowed-tools")) {
            // the Claude Code form: one comma- or space-separated string
            return List.of(value.asText().trim().split("[,\\s]+"));
        }
        if (!value.isArray()) {
            throw new InvalidInputException("frontMatter." + key, "must be a list of strings");
        }
        if (value.size() > max) {
            throw new InvalidInputException("frontMatter." + key, "has more than " + max + " entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength) {
                throw new InvalidInputException("frontMatter." + key + "[" + i + "]", "must be a string of 1.."
                        + maxLength + " characters");
            }
            out.add(item.asText().strip());
        }
        return out;
    }
}
