package dev.switchboard.skill;

import dev.switchboard.approval.ToolOverrides;
import dev.switchboard.approval.ToolPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The skill permission overrides, kept in memory in front of their store (they are read on every tool call and
 * change rarely), and the rulings they give: an override of a skill applies to an agent's call of a tool when a
 * skill of that id is available to the agent and declares the tool. An override naming the tool wins over the
 * skill's {@code *}; where several skills declare the tool, the strictest of their overrides wins.
 */
public final class SkillPermissions implements ToolOverrides {

    private final SkillPermissionStore store;
    private final SkillCatalog skills;
    private volatile Map<String, SkillPermission> byKey;

    public SkillPermissions(SkillPermissionStore store, SkillCatalog skills) {
        this.store = store;
        this.skills = skills;
        reload();
    }

    public List<SkillPermission> list() {
        return List.copyOf(byKey.values());
    }

    public Optional<SkillPermission> find(String skillId, String action) {
        return Optional.ofNullable(byKey.get(key(skillId, action)));
    }

    public synchronized void set(SkillPermission permission) {
        store.save(permission);
        reload();
    }

    /** Removes the override; false when there was none. */
    public synchronized boolean reset(String skillId, String action) {
        boolean removed = store.delete(skillId, action);
        reload();
        return removed;
    }

    @Override
    public Optional<ToolPolicy.Ruling> ruling(String agentId, String toolName) {
        Map<String, SkillPermission> current = byKey;
        if (current.isEmpty()) {
            // the usual case: no override set, so no skill is read on a tool call
            return Optional.empty();
        }
        SkillPermission strictest = null;
        for (Skill skill : skills.available(agentId)) {
            if (!skill.tools().contains(toolName)) {
                continue;
            }
            SkillPermission own = current.get(key(skill.id(), toolName));
            SkillPermission applies = own != null ? own : current.get(key(skill.id(), SkillPermission.ALL_ACTIONS));
            if (applies != null && (strictest == null || applies.level().compareTo(strictest.level()) > 0)) {
                strictest = applies;
            }
        }
        if (strictest == null) {
            return Optional.empty();
        }
        return Optional.of(switch (strictest.level()) {
            case ALLOW -> new ToolPolicy.Ruling(ToolPolicy.Verdict.ALLOW, null);
            case ASK -> new ToolPolicy.Ruling(ToolPolicy.Verdict.ASK, null);
            case DENY -> new ToolPolicy.Ruling(ToolPolicy.Verdict.DENY, "An administrator's permission override of "
                    + "skill '" + strictest.skillId() + "' denies '" + toolName + "'");
        });
    }

    private void reload() {
        Map<String, SkillPermission> loaded = new LinkedHashMap<>();
        store.list().forEach(p -> loaded.put(key(p.skillId(), p.action()), p));
        byKey = loaded;
    }

    private static String key(String skillId, String action) {
        return skillId + '\u0000' + action;
    }
}
