package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.skill.BundledSkills;
import dev.switchboard.skill.Skill;
import dev.switchboard.skill.SkillCatalog;
import dev.switchboard.skill.SkillFetcher;
import dev.switchboard.skill.SkillMarkdown;
import dev.switchboard.skill.SkillScan;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolOrigin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Skills (seeds 003 and 002): shared skills under {@code /api/skills}, an agent's under
 * {@code /api/agents/{agentId}/skills}, the bundled catalog, import (scanned for hidden content and prompt
 * injection), export, and every tool an agent's skills, MCP servers and built-ins give it. Anyone signed in reads;
 * administrators write, since skills become part of agents' prompts.
 */
public final class SkillApi {

    /** The JSON bundle {@code export-all} writes: each skill's SKILL.md, ready for {@code import}. */
    public static final String BUNDLE_FORMAT = "switchboard.skills/v1";

    private final SkillCatalog skills;
    private final BundledSkills catalog;
    private final SkillFetcher fetcher;
    private final AgentCatalog agents;
    private final AgentTools agentTools;
    private final AuditLog audit;

    public SkillApi(SkillCatalog skills, BundledSkills catalog, SkillFetcher fetcher, AgentCatalog agents,
            AgentTools agentTools, AuditLog audit) {
        this.skills = skills;
        this.catalog = catalog;
        this.fetcher = fetcher;
        this.agents = agents;
        this.agentTools = agentTools;
        this.audit = audit;
    }

    public void register(Routes routes) {
        routes.get("/api/skills", this::list)
                .get("/api/skills/export-all", this::exportAll)
                .get("/api/skills/tools/all", this::allTools)
                .get("/api/skills/{skillId}", this::get)
                .get("/api/skills/{skillId}/export", this::export)
                .get("/api/skill-catalog", this::catalog)
                .get("/api/agents/{agentId}/skills", this::listOfAgent);
        routes.admin()
                .post("/api/skills", this::create)
                .post("/api/skills/import", this::importSkill)
                .put("/api/skills/{skillId}", this::update)
                .delete("/api/skills/{skillId}", this::delete)
                .post("/api/agents/{agentId}/skills", this::createForAgent)
                .post("/api/agents/{agentId}/skills/install", this::install)
                .delete("/api/agents/{agentId}/skills/{skillId}", this::deleteOfAgent);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        skills.shared().forEach(s -> list.add(wire(s, false)));
        for (AgentDefinition agent : agents.all()) {
            skills.ofAgent(agent.id()).forEach(s -> list.add(wire(s, false)));
        }
        ctx.json(Json.object().put("count", list.size()).set("skills", list));
    }

    private void get(Context ctx) {
        ctx.json(Json.object().set("skill", wire(shared(ctx.pathParam("skillId")), true)));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        Skill skill = fromBody(body, null);
        if (skills.find(null, skill.id()).isPresent()) {
            throw new ConflictException("A shared skill '" + skill.id() + "' exists; PUT /api/skills/" + skill.id()
                    + " replaces it", Map.of("id", skill.id()));
        }
        store(ctx, skill, scanned(skill), "skill.create", 201);
    }

    private void update(Context ctx) {
        String id = ctx.pathParam("skillId");
        shared(id);
        Body body = Body.of(ctx);
        if (body.get("id") != null && !id.equals(body.get("id").asText())) {
            throw new InvalidInputException("id", "cannot change; create the skill under the new id instead");
        }
        Skill skill = fromBody(body, null).placed(id, null);
        store(ctx, skill, scanned(skill), "skill.update", 200);
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("skillId");
        if (!skills.delete(null, id)) {
            throw new NotFoundException("skill", id);
        }
        audit.record(AuditEvent.of("skill.delete", Owner.of(ctx), "skill", id, "success", Map.of())
                .withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("deleted", true).put("id", id));
    }

    private void export(Context ctx) {
        Skill skill = shared(ctx.pathParam("skillId"));
        ctx.contentType("text/markdown; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + skill.id() + ".SKILL.md\"")
                .result(SkillMarkdown.render(skill));
    }

    /** Every shared skill and every agent's own, as a JSON bundle whose entries {@code import} accepts as they are. */
    private void exportAll(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        List<Skill> all = new ArrayList<>(skills.shared());
        agents.all().forEach(a -> all.addAll(skills.ofAgent(a.id())));
        for (Skill skill : all) {
            ObjectNode entry = list.addObject().put("id", skill.id());
            if (skill.agentId() != null) {
                entry.put("agentId", skill.agentId());
            }
            entry.put("content", SkillMarkdown.render(skill));
        }
        ctx.header("Content-Disposition", "attachment; filename=\"skills.json\"")
                .json(Json.object().put("format", BUNDLE_FORMAT).put("count", list.size()).set("skills", list));
    }

    /**
     * {@code {content}} (a SKILL.md document) or {@code {url}}, optionally {@code id}, {@code agentId} (import as
     * that agent's own skill) and {@code overwrite}. Findings at error level answer 400 listing them all.
     */
    private void importSkill(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "content", "url", "id", "agentId", "overwrite");
        String content = body.optionalString("content");
        String url = body.optionalString("url");
        if ((content == null) == (url == null)) {
            throw new InvalidInputException(content == null ? "content" : "url",
                    "give either content (a SKILL.md document) or url, not both");
        }
        String agentId = body.optionalString("agentId");
        if (agentId != null) {
            agent(agentId);
        }
        String text = content != null ? content : fetcher.fetch(url);
        // the whole document is scanned, front matter included: its description reaches every prompt
        List<SkillScan.Finding> findings = SkillScan.scan(text);
        reject(findings);
        Skill parsed = SkillMarkdown.parse(text, id(body), agentId);
        if (!body.optionalBoolean("overwrite", false) && skills.find(agentId, parsed.id()).isPresent()) {
            throw new ConflictException("A skill '" + parsed.id() + "' exists; send overwrite: true to replace it",
                    Map.of("id", parsed.id()));
        }
        store(ctx, parsed, findings, "skill.import", 201);
    }

    private void catalog(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        catalog.all().forEach(s -> list.add(wire(s, true).put("scope", "catalog")));
        ctx.json(Json.object().put("count", list.size()).set("skills", list));
    }

    private void listOfAgent(Context ctx) {
        AgentDefinition agent = agent(ctx.pathParam("agentId"));
        ArrayNode own = Json.MAPPER.createArrayNode();
        skills.ofAgent(agent.id()).forEach(s -> own.add(wire(s, false).put("enabled", skills.enabled(agent.id(),
                s.id()))));
        ArrayNode shared = Json.MAPPER.createArrayNode();
        skills.shared().forEach(s -> shared.add(wire(s, false).put("enabled", skills.enabled(agent.id(),
                s.id()))));
        ArrayNode available = Json.MAPPER.createArrayNode();
        skills.available(agent.id()).forEach(s -> available.add(s.id()));
        ctx.json(Json.object().put("agentId", agent.id()).<ObjectNode>set("skills", own)
                .<ObjectNode>set("shared", shared).set("available", available));
    }

    private void createForAgent(Context ctx) {
        AgentDefinition agent = agent(ctx.pathParam("agentId"));
        Skill skill = fromBody(Body.of(ctx), agent.id());
        if (skills.find(agent.id(), skill.id()).isPresent()) {
            throw new ConflictException("Agent '" + agent.id() + "' has a skill '" + skill.id() + "'",
                    Map.of("id", skill.id()));
        }
        store(ctx, skill, scanned(skill), "skill.create", 201);
    }

    /** {@code {skillId, id?}}: copies a catalog skill into the agent's own skills. */
    private void install(Context ctx) {
        AgentDefinition agent = agent(ctx.pathParam("agentId"));
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "skillId", "id");
        String catalogId = body.requiredString("skillId");
        Skill source = catalog.find(catalogId).orElseThrow(() -> new NotFoundException("catalog skill", catalogId));
        Skill skill = source.placed(body.optionalString("id") == null ? source.id() : id(body), agent.id());
        if (skills.find(agent.id(), skill.id()).isPresent()) {
            throw new ConflictException("Agent '" + agent.id() + "' has a skill '" + skill.id() + "'; remove it "
                    + "first or install under another id", Map.of("id", skill.id()));
        }
        store(ctx, skill, List.of(), "skill.install", 201);
    }

    private void deleteOfAgent(Context ctx) {
        AgentDefinition agent = agent(ctx.pathParam("agentId"));
        String id = ctx.pathParam("skillId");
        if (!skills.delete(agent.id(), id)) {
            throw new NotFoundException("skill", id);
        }
        audit.record(AuditEvent.of("skill.delete", Owner.of(ctx), "skill", agent.id() + "/" + id, "success",
                Map.of()).withIp(ClientAddress.of(ctx)));
        ctx.json(Json.object().put("deleted", true).put("id", id).put("agentId", agent.id()));
    }

    /** Seed 002's combined list: each agent's tools (built-in and MCP) and the tools its skills declare. */
    private void allTools(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ArrayNode list = Json.MAPPER.createArrayNode();
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (Tool tool : agentTools.of(agent)) {
            ObjectNode entry = McpWire.anyTool(tool);
            entry.put("source", ToolOrigin.MCP.equals(tool.origin().source()) ? "mcp"
                    : tool.origin().source().toLowerCase(Locale.ROOT).equals("internal") ? "builtin"
                    : tool.origin().source());
            entry.put("available", true);
            entry.putArray("skills");
            byName.put(tool.spec().name(), entry);
        }
        for (Skill skill : skills.available(agent.id())) {
            for (String name : skill.tools()) {
                ObjectNode entry = byName.computeIfAbsent(name, n -> {
                    // a tool a skill relies on that the agent does not have: shown, so the gap is visible
                    ObjectNode missing = Json.object().put("name", n).put("source", "skill").put("available", false);
                    missing.putArray("skills");
                    return missing;
                });
                ((ArrayNode) entry.get("skills")).add(skill.id());
            }
        }
        byName.values().forEach(list::add);
        ctx.json(Json.object().put("agentId", agent.id()).put("count", list.size()).set("tools", list));
    }

    private void store(Context ctx, Skill skill, List<SkillScan.Finding> findings, String event, int status) {
        skills.save(skill);
        audit.record(AuditEvent.of(event, Owner.of(ctx), "skill",
                skill.agentId() == null ? skill.id() : skill.agentId() + "/" + skill.id(), "success",
                findings.isEmpty() ? Map.of() : Map.of("warnings", String.valueOf(findings.size())))
                .withIp(ClientAddress.of(ctx)));
        ObjectNode json = Json.object().set("skill", wire(skill, true));
        ArrayNode warnings = json.putArray("warnings");
        findings.forEach(f -> warnings.add(finding(f)));
        ctx.status(status).json(json);
    }

    /** The scan of a skill written through the API, checked as an import is. */
    private static List<SkillScan.Finding> scanned(Skill skill) {
        List<SkillScan.Finding> findings = SkillScan.scan(SkillMarkdown.render(skill));
        reject(findings);
        return findings;
    }

    private static void reject(List<SkillScan.Finding> findings) {
        if (!SkillScan.rejected(findings)) {
            return;
        }
        List<Map<String, Object>> listed = findings.stream().map(f -> Json.MAPPER.<Map<String, Object>>convertValue(
                finding(f), Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class)))
                .toList();
        String reasons = String.join("; ", findings.stream()
                .filter(f -> f.severity() == SkillScan.Severity.ERROR)
                .map(f -> "line " + f.line() + ": " + f.message()).distinct().toList());
        throw new InvalidInputException("content", "the skill was rejected: " + reasons,
                Map.of("findings", listed));
    }

    private static ObjectNode finding(SkillScan.Finding f) {
        return Json.object().put("severity", f.severity().name().toLowerCase(Locale.ROOT)).put("code", f.code())
                .put("message", f.message()).put("line", f.line());
    }

    /**
     * A skill from {@code {content}} (a SKILL.md document) or from
     * {@code {name, description, instructions, tools?, tags?, version?}}, with an optional {@code id}.
     */
    private static Skill fromBody(Body body, String agentId) {
        JsonCheck.onlyFields(body, "id", "content", "name", "description", "instructions", "tools", "tags",
                "version");
        String content = body.optionalString("content");
        if (content != null) {
            for (String field : List.of("name", "description", "instructions", "tools", "tags", "version")) {
                if (body.get(field) != null) {
                    throw new InvalidInputException(field, "give either content (a SKILL.md document) or the "
                            + "separate fields, not both");
                }
            }
            return SkillMarkdown.parse(content, id(body), agentId);
        }
        return SkillMarkdown.of(id(body), agentId, body.requiredString("name"), body.requiredString("description"),
                strings(body, "tools", SkillMarkdown.MAX_TOOLS, 128), strings(body, "tags", SkillMarkdown.MAX_TAGS,
                        SkillMarkdown.MAX_TAG), body.optionalString("version"), body.requiredString("instructions"),
                "");
    }

    private static String id(Body body) {
        String id = body.optionalString("id");
        if (id != null && !SkillMarkdown.ID.matcher(id).matches()) {
            throw new InvalidInputException("id", "must be 1..64 lower-case letters, digits and '-', starting with a "
                    + "letter or digit");
        }
        return id;
    }

    private static List<String> strings(Body body, String field, int max, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.size() > max) {
            throw new InvalidInputException(field, "must be a list of at most " + max + " strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a string of 1.." + maxLength
                        + " characters");
            }
            values.add(item.asText().strip());
        }
        return values;
    }

    private Skill shared(String id) {
        return skills.find(null, id).orElseThrow(() -> new NotFoundException("skill", id));
    }

    private AgentDefinition agent(String id) {
        return agents.find(id).orElseThrow(() -> new NotFoundException("agent", id));
    }

    /** A skill on the wire; {@code full} adds its instructions. */
    static ObjectNode wire(Skill skill, boolean full) {
        ObjectNode json = Json.object().put("id", skill.id()).put("name", skill.name())
                .put("description", skill.description());
        json.putArray("tools").addAll(skill.tools().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        json.putArray("tags").addAll(skill.tags().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        if (skill.version() != null) {
            json.put("version", skill.version());
        }
        json.put("scope", skill.shared() ? "shared" : "agent");
        if (skill.agentId() != null) {
            json.put("agentId", skill.agentId());
        }
        if (full) {
            json.put("instructions", skill.instructions());
        }
        return json;
    }
}
