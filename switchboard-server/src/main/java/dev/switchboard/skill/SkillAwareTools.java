package dev.switchboard.skill;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An agent's tools plus {@code load_skill} whenever it has a skill to load, whatever its file lists. */
public final class SkillAwareTools implements AgentTools {

    private final AgentTools tools;
    private final SkillCatalog skills;
    private final LoadSkillTool loadSkill;

    public SkillAwareTools(AgentTools tools, SkillCatalog skills) {
        this.tools = tools;
        this.skills = skills;
        this.loadSkill = new LoadSkillTool(skills);
    }

    @Override
    public List<Tool> of(AgentDefinition agent) {
        List<Tool> of = tools.of(agent);
        if (skills.available(agent.id()).isEmpty()) {
            return of;
        }
        List<Tool> with = new ArrayList<>(of);
        with.add(loadSkill);
        return with;
    }

    @Override
    public Optional<String> unavailable(AgentDefinition agent) {
        return tools.unavailable(agent);
    }
}
