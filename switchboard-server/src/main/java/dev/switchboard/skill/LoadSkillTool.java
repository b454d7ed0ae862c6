package dev.switchboard.skill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.util.Optional;

/** {@code load_skill}: the instructions of one of the skills the agent's prompt lists. */
public final class LoadSkillTool implements Tool {

    public static final String NAME = "load_skill";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ToolSpec SPEC = new ToolSpec(NAME,
            "Loads the full instructions of one of your skills (listed under Skills in your instructions). Call it "
                    + "before doing a task a skill covers.",
            """
            {"type":"object","properties":{"id":{"type":"string","minLength":1,"maxLength":64,\
            "description":"the skill's id as listed under Skills"}},"required":["id"],"additionalProperties":false}""");

    private final SkillCatalog skills;

    public LoadSkillTool(SkillCatalog skills) {
        this.skills = skills;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolRisk risk() {
        return ToolRisk.READS;
    }

    @Override
    public ToolOutcome execute(String arguments, ToolContext context) {
        String id;
        try {
            JsonNode args = JSON.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
            if (!args.path("id").isTextual()) {
                return ToolOutcome.failure("id is required and must be a string");
            }
            id = args.get("id").asText().strip();
        } catch (java.io.IOException e) {
            return ToolOutcome.failure("arguments are not valid JSON");
        }
        // only what the agent may use: a switched-off or another agent's skill is as unknown as a missing one
        Optional<Skill> skill = skills.available(context.agentId()).stream().filter(s -> s.id().equals(id))
                .findFirst();
        if (skill.isEmpty()) {
            return ToolOutcome.failure("no skill '" + id + "'; the skills you have are: " + String.join(", ",
                    skills.available(context.agentId()).stream().map(Skill::id).toList()));
        }
        Skill s = skill.get();
        StringBuilder out = new StringBuilder("# Skill: ").append(s.name()).append(" (").append(s.id()).append(")\n");
        if (!s.tools().isEmpty()) {
            out.append("Tools it uses: ").append(String.join(", ", s.tools())).append('\n');
        }
        out.append('\n').append(s.instructions());
        return ToolOutcome.success(out.toString());
    }
}
