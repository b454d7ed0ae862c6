package dev.switchboard.skill;

import java.util.List;
import java.util.Optional;

/**
 * Where skills are kept: shared skills every agent may use, and each agent's own. An agent's own skill shadows a
 * shared one of the same id; an agent can switch any of them off.
 */
public interface SkillCatalog {

    List<Skill> shared();

    /** The agent's own skills. */
    List<Skill> ofAgent(String agentId);

    /** A shared skill ({@code agentId} null) or one of the agent's own. */
    Optional<Skill> find(String agentId, String skillId);

    /** What the agent may load now: its own skills and the shared ones it did not switch off, by id. */
    List<Skill> available(String agentId);

    /** Whether the agent has the skill switched on (shared and own skills are on until switched off). */
    boolean enabled(String agentId, String skillId);

    void setEnabled(String agentId, String skillId, boolean enabled);

    /** Stores the skill in its scope ({@link Skill#agentId()}), replacing one of the same id. */
    void save(Skill skill);

    /** Removes the skill; false when there was none. */
    boolean delete(String agentId, String skillId);
}
