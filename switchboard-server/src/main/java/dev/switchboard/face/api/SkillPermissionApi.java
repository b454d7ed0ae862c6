package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.skill.Skill;
import dev.switchboard.skill.SkillCatalog;
import dev.switchboard.skill.SkillPermission;
import dev.switchboard.skill.SkillPermissions;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolGuard;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Seed 002's skill permission overrides ({@code /api/skills/permissions}) and direct calls of the tools skills
 * declare ({@code /api/skills/{skillId}/tools/{toolName}/execute}). Overrides are server-wide and administrators
 * set them; a direct call goes through the same checks as an agent's call (arguments, the agent's permissions,
 * the overrides), so any signed-in caller may make one, and a call the policy would put to a person is refused,
 * since a direct call has no conversation to ask in.
 */
public final class SkillPermissionApi {

    private static final Set<String> LEVELS = new LinkedHashSet<>(
            Arrays.stream(SkillPermission.Level.values()).map(SkillPermission.Level::wire).toList());
    private static final int MAX_ACTION = 128;

    private final SkillPermissions permissions;
    private final SkillCatalog skills;
    private final AgentCatalog agents;
    private final AgentTools agentTools;
    private final ArgumentCheck argumentCheck;
    private final ToolGuard guard;
    private final AuditLog audit;
    private final Clock clock;

    public SkillPermissionApi(SkillPermissions permissions, SkillCatalog skills, AgentCatalog agents,
            AgentTools agentTools, ArgumentCheck argumentCheck, ToolGuard guard, AuditLog audit, Clock clock) {
        this.permissions = permissions;
        this.skills = skills;
        this.agents = agents;
        this.agentTools = agentTools;
        this.argumentCheck = argumentCheck;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get("/api/skills/permissions", this::list)
                .post("/api/skills/{skillId}/tools/{toolName}/execute", this::execute);
        routes.admin()
                .put("/api/skills/permissions", this::set)
                .delete("/api/skills/permissions/{skillId}/{action}", this::reset);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        permissions.list().forEach(p -> list.add(wire(p)));
        ctx.json(Json.object().put("count", list.size()).<ObjectNode>set("permissions", list)
                .set("levels", Json.MAPPER.valueToTree(List.copyOf(LEVELS))));
    }

    /** {@code {skillId, action, level}}: {@code action} is a tool the skill declares or {@code *}. */
    private void set(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "skillId", "action", "level");
        String skillId = body.requiredString("skillId");
        String action = body.requiredString("action").strip();
        String level = body.requiredString("level");
        SkillPermission.Level parsed = SkillPermission.Level.of(level).orElseThrow(() -> new InvalidInputException(
                "level", "must be one of " + String.join(", ", LEVELS)));
        if (action.length() > MAX_ACTION) {
            throw new InvalidInputException("action", "must be at most " + MAX_ACTION + " characters");
        }
        List<Skill> named = skillsNamed(skillId);
        if (named.isEmpty()) {
            throw new InvalidInputException("skillId", "no skill '" + skillId + "'");
        }
        if (!SkillPermission.ALL_ACTIONS.equals(action) && named.stream().noneMatch(s -> s.tools().contains(action))) {
            Set<String> declared = new LinkedHashSet<>();
            named.forEach(s -> declared.addAll(s.tools()));
            throw new InvalidInputException("action", "skill '" + skillId + "' declares no tool '" + action
                    + "'; give one it declares (" + (declared.isEmpty() ? "it declares none" : String.join(", ",
                    declared)) + ") or * for all of them");
        }
        SkillPermission permission = new SkillPermission(skillId, action, parsed, Owner.of(ctx), clock.instant());
        boolean replaced = permissions.find(skillId, action).isPresent();
        permissions.set(permission);
        audit.record(AuditEvent.of("skill.permission.set", Owner.of(ctx), "skill", skillId + "/" + action, "success",
                Map.of("level", parsed.wire())).withIp(ClientAddress.of(ctx)));
        ctx.status(replaced ? 200 : 201).json(Json.object().set("permission", wire(permission)));
    }

    private void reset(Context ctx) {
        String skillId = ctx.pathParam("skillId");
        String action = ctx.pathParam("action");
        if (!permissions.reset(skillId, action)) {
            throw new NotFoundException("skill permission", skillId + "/" + action);
        }
        audit.record(AuditEvent.of("skill.permission.reset", Owner.of(ctx), "skill", skillId + "/" + action,
                "success", Map.of()).withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("deleted", true).put("skillId", skillId).put("action", action));
    }

    /**
     * Runs a tool the skill declares as the agent ({@code ?agentId=}, the default agent otherwise) would: the body
     * is the tool's arguments.
     */
    private void execute(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        String skillId = ctx.pathParam("skillId");
        String toolName = ctx.pathParam("toolName");
        Skill skill = skills.available(agent.id()).stream().filter(s -> s.id().equals(skillId)).findFirst()
                .orElseThrow(() -> new NotFoundException("skill", skillId));
        if (!skill.tools().contains(toolName)) {
            throw new NotFoundException("tool", toolName);
        }
        Optional<Tool> found = agentTools.of(agent).stream().filter(t -> t.spec().name().equals(toolName))
                .findFirst();
        Tool tool = found.orElseThrow(() -> new ConflictException("Skill '" + skillId + "' declares '" + toolName
                + "', but agent '" + agent.id() + "' has no such tool", Map.of("agentId", agent.id(),
                "toolName", toolName)));
        String arguments = Json.write(Body.of(ctx).node());
        List<String> problems = argumentCheck.problems(tool.spec().parametersSchema(), arguments);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("body", "invalid arguments for '" + toolName + "': "
                    + String.join("; ", problems));
        }
        String owner = Owner.of(ctx);
        ToolOutcome outcome = switch (guard.permits(owner, agent, tool, toolName)) {
            case ToolGuard.Verdict.Refuse refused -> throw new ForbiddenException(refused.outcome().error(),
                    Map.of("skillId", skillId, "toolName", toolName, "agentId", agent.id()));
            case ToolGuard.Verdict.Ask ask -> throw new ForbiddenException("Not allowed: '" + toolName + "' needs a "
                    + "person's approval under the permissions of agent '" + agent.id() + "', and a direct call has "
                    + "no conversation to ask in; an administrator can set an allow override for skill '" + skillId
                    + "'", Map.of("skillId", skillId, "toolName", toolName, "agentId", agent.id()));
            case ToolGuard.Verdict.Run run -> ToolGuard.run(tool, arguments, new ToolContext(owner, agent.id(), null,
                    null, Ids.next("call"), new Cancellation(), agent.workspace(), ToolInteraction.NONE));
        };
        ObjectNode json = Json.object().put("success", outcome.success()).put("skillId", skillId)
                .put("toolName", toolName).put("agentId", agent.id());
        if (outcome.success()) {
            json.put("data", outcome.output());
        } else {
            json.putNull("data").put("error", outcome.error());
        }
        ctx.json(json);
    }

    /** The skills of that id anywhere: shared, or any agent's own. */
    private List<Skill> skillsNamed(String skillId) {
        List<Skill> named = new java.util.ArrayList<>();
        skills.find(null, skillId).ifPresent(named::add);
        agents.all().forEach(a -> skills.find(a.id(), skillId).ifPresent(named::add));
        return named;
    }

    private static ObjectNode wire(SkillPermission p) {
        return Json.object().put("skillId", p.skillId()).put("action", p.action()).put("level", p.level().wire())
                .put("updatedBy", p.updatedBy()).put("updatedAt", p.updatedAt().toString());
    }
}
