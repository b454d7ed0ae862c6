package dev.switchboard.skill;

import java.util.List;

/** Where the skill permission overrides are kept: one per skill and action, server-wide. */
public interface SkillPermissionStore {

    /** Every override, by skill and action. */
    List<SkillPermission> list();

    /** Stores the override, replacing the one of the same skill and action. */
    void save(SkillPermission permission);

    /** Removes the override; false when there was none. */
    boolean delete(String skillId, String action);
}
