package dev.switchboard.skill;

import java.util.List;

/**
 * A skill: instructions an agent loads when a task calls for them, announced to it by name and description only.
 *
 * @param id the folder name, lower case letters, digits and '-'
 * @param agentId the agent whose own skill this is, or null for a shared skill every agent may use
 * @param tools tool names the instructions rely on, as the front matter declares them
 * @param version free text such as {@code 1.2.0}, or null
 * @param instructions the body of the SKILL.md file: what the agent reads when it loads the skill
 */
public record Skill(String id, String agentId, String name, String description, List<String> tools,
        List<String> tags, String version, String instructions) {

    public Skill {
        tools = tools == null ? List.of() : List.copyOf(tools);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean shared() {
        return agentId == null;
    }

    /** The same skill under another id and scope, as when a catalog skill is installed for an agent. */
    public Skill placed(String newId, String newAgentId) {
        return new Skill(newId, newAgentId, name, description, tools, tags, version, instructions);
    }
}
