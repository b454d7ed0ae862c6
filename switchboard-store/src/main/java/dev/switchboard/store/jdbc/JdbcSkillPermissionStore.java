package dev.switchboard.store.jdbc;

import dev.switchboard.skill.SkillPermission;
import dev.switchboard.skill.SkillPermissionStore;
import java.time.Instant;
import java.util.List;

/** The {@link SkillPermissionStore} on the same database as {@link JdbcStore}. */
public final class JdbcSkillPermissionStore implements SkillPermissionStore {

    private final JdbcStore db;

    JdbcSkillPermissionStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public List<SkillPermission> list() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT skill_id, action, level, updated_by, updated_at FROM skill_permissions
                ORDER BY skill_id, action""")
                .map((rs, ctx) -> {
                    String level = rs.getString("level");
                    return new SkillPermission(rs.getString("skill_id"), rs.getString("action"),
                            SkillPermission.Level.of(level).orElseThrow(() -> new IllegalStateException(
                                    "Unknown skill permission level '" + level + "' in the database")),
                            rs.getString("updated_by"), Instant.ofEpochMilli(rs.getLong("updated_at")));
                })
                .list());
    }

    @Override
    public void save(SkillPermission permission) {
        db.write(h -> h.createUpdate("""
                INSERT INTO skill_permissions (skill_id, action, level, updated_by, updated_at)
                VALUES (:skill, :action, :level, :by, :at)
                ON CONFLICT (skill_id, action) DO UPDATE SET level = excluded.level,
                    updated_by = excluded.updated_by, updated_at = excluded.updated_at""")
                .bind("skill", permission.skillId())
                .bind("action", permission.action())
                .bind("level", permission.level().wire())
                .bind("by", permission.updatedBy())
                .bind("at", permission.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean delete(String skillId, String action) {
        return db.write(h -> h.createUpdate("DELETE FROM skill_permissions WHERE skill_id = :skill AND action = :action")
                .bind("skill", skillId)
                .bind("action", action)
                .execute()) > 0;
    }
}
