package dev.switchboard.skill;

import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextRequest;
import dev.switchboard.context.ContextSection;
import java.util.List;
import java.util.Optional;

/**
 * The skills index of a run's system prompt: each skill the agent may load, by id, name and description only, so
 * that the prompt stays short and the model loads the instructions it needs with {@code load_skill}.
 */
public final class SkillsContext implements ContextContributor {

    /** Below the agent's own prompt and the memories of the message; above background such as notes. */
    public static final int PRIORITY = 40;

    private final SkillCatalog skills;

    public SkillsContext(SkillCatalog skills) {
        this.skills = skills;
    }

    @Override
    public Optional<ContextSection> contribute(ContextRequest request) {
        if (request.agentId() == null) {
            return Optional.empty();
        }
        List<Skill> available = skills.available(request.agentId());
        if (available.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("You have these skills. When a task matches one, call the "
                + LoadSkillTool.NAME + " tool with its id and follow the instructions it returns.\n");
        for (Skill skill : available) {
            text.append("- ").append(skill.id()).append(": ").append(skill.name()).append(" — ")
                    .append(skill.description().replaceAll("\\s+", " ")).append('\n');
        }
        return Optional.of(new ContextSection("Skills", text.toString().strip(), PRIORITY));
    }
}
