package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.skill.Skill;
import dev.switchboard.skill.SkillCatalog;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Seed 000's skills: {@code GET /v1/skills} lists every skill with the agent profiles (agents) that have it on,
 * and {@code POST /v1/skills/{skillId}/toggle-profile} switches it on or off for one of them.
 */
public final class RemoteSkillApi {

    private final SkillCatalog skills;
    private final AgentCatalog agents;
    private final AuditLog audit;

    public RemoteSkillApi(SkillCatalog skills, AgentCatalog agents, AuditLog audit) {
        this.skills = skills;
        this.agents = agents;
        this.audit = audit;
    }

    public void register(Routes routes) {
        routes.get("/v1/skills", this::list);
        routes.admin().post("/v1/skills/{skillId}/toggle-profile", this::toggle);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Skill skill : skills.shared()) {
            list.add(entry(skill, agents.all()));
        }
        for (AgentDefinition agent : agents.all()) {
            for (Skill skill : skills.ofAgent(agent.id())) {
                list.add(entry(skill, List.of(agent)));
            }
        }
        ctx.json(Json.object().put("count", list.size()).set("skills", list));
    }

    private ObjectNode entry(Skill skill, List<AgentDefinition> candidates) {
        ObjectNode json = Json.object().put("id", skill.id()).put("name", skill.name())
                .put("description", skill.description()).put("scope", skill.shared() ? "shared" : "agent");
        if (skill.agentId() != null) {
            json.put("agentId", skill.agentId());
        }
        ArrayNode on = json.putArray("enabledProfileIds");
        for (AgentDefinition agent : candidates) {
            // an agent's own skill of the same id shadows a shared one for that agent
            boolean shadowed = skill.shared() && skills.find(agent.id(), skill.id()).isPresent();
            if (!shadowed && skills.enabled(agent.id(), skill.id())) {
                on.add(agent.id());
            }
        }
        return json;
    }

    /** {@code {profileId, enabled?}}: without {@code enabled} the skill's state for that profile flips. */
    private void toggle(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "profileId", "enabled");
        String skillId = ctx.pathParam("skillId");
        String profileId = body.requiredString("profileId");
        AgentDefinition agent = agents.find(profileId).orElseThrow(() -> new NotFoundException("profile",
                profileId));
        if (skills.find(agent.id(), skillId).isEmpty() && skills.find(null, skillId).isEmpty()) {
            throw new NotFoundException("skill", skillId);
        }
        boolean enabled = body.optionalBoolean("enabled", !skills.enabled(agent.id(), skillId));
        skills.setEnabled(agent.id(), skillId, enabled);
        audit.record(AuditEvent.of(enabled ? "skill.enable" : "skill.disable", Owner.of(ctx), "skill",
                agent.id() + "/" + skillId, "success", Map.of()).withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("id", skillId).put("profileId", agent.id()).put("enabled", enabled)
                .put("success", true));
    }
}
