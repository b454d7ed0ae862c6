package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.memory.Memories;
import dev.switchboard.memory.Memory;
import dev.switchboard.memory.MemoryFilter;
import dev.switchboard.memory.MemorySource;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Memories through seed 004's {@code /api/memory} (tags, source, pinned) and seed 003's per-agent
 * {@code /api/agents/{agentId}/memories} and {@code /api/memories} (category, importance): one store, one wire shape.
 */
public final class MemoryApi {

    private static final int DEFAULT_LIMIT = 100;

    private final Memories memories;
    private final AgentCatalog agents;

    public MemoryApi(Memories memories, AgentCatalog agents) {
        this.memories = memories;
        this.agents = agents;
    }

    public void register(Routes routes) {
        routes.get("/api/memory", this::list)
                .post("/api/memory", this::create)
                .get("/api/memory/{memoryId}", this::get)
                .put("/api/memory/{memoryId}", this::update)
                .delete("/api/memory/{memoryId}", this::delete)
                .get("/api/memories", this::list)
                .get("/api/agents/{agentId}/memories", this::listOfAgent)
                .post("/api/agents/{agentId}/memories", this::createForAgent)
                .delete("/api/agents/{agentId}/memories/{memoryId}", this::deleteOfAgent);
    }

    private void list(Context ctx) {
        ctx.json(listed(ctx, null));
    }

    private void listOfAgent(Context ctx) {
        ctx.json(listed(ctx, agent(ctx)));
    }

    private ObjectNode listed(Context ctx, String agentId) {
        String tags = ctx.queryParam("tags");
        List<String> tagList = tags == null || tags.isBlank() ? List.of()
                : Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        String source = ctx.queryParam("source");
        MemorySource parsedSource = source == null ? null : MemorySource.of(source);
        if (source != null && parsedSource == null) {
            throw new InvalidInputException("source", "must be user or system");
        }
        String pinned = ctx.queryParam("pinned");
        if (pinned != null && !pinned.equals("true") && !pinned.equals("false")) {
            throw new InvalidInputException("pinned", "must be true or false");
        }
        MemoryFilter filter = new MemoryFilter(agentId, tagList, parsedSource,
                pinned == null ? null : Boolean.valueOf(pinned));
        int limit = AdminApi.intParam(ctx, "limit", DEFAULT_LIMIT, 1, Memories.MAX_LIMIT);
        int offset = AdminApi.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        memories.list(Owner.of(ctx), ctx.queryParam("q"), filter, limit, offset).forEach(m -> list.add(wire(m)));
        ObjectNode out = Json.object().put("ok", true);
        out.set("memories", list);
        return out;
    }

    private void create(Context ctx) {
        created(ctx, null);
    }

    private void createForAgent(Context ctx) {
        created(ctx, agent(ctx));
    }

    private void created(Context ctx, String agentId) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "content", "tags", "metadata", "category", "importance");
        ObjectNode metadata = metadata(body);
        Memory memory = memories.create(Owner.of(ctx), new Memories.Draft(agentId, content(body), tags(body),
                source(metadata), pinned(metadata), category(body), importance(body)));
        ctx.status(201).json(Json.object().put("ok", true).set("memory", wire(memory)));
    }

    private void get(Context ctx) {
        Memory memory = memories.get(Owner.of(ctx), ctx.pathParam("memoryId"));
        ctx.json(Json.object().put("ok", true).set("memory", wire(memory)));
    }

    private void update(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "content", "tags", "metadata", "category", "importance");
        ObjectNode metadata = metadata(body);
        Memory memory = memories.update(Owner.of(ctx), ctx.pathParam("memoryId"), new Memories.Change(
                body.get("content") == null ? null : content(body), body.get("tags") == null ? null : tags(body),
                source(metadata), pinned(metadata), category(body), importance(body)));
        ctx.json(Json.object().put("ok", true).set("memory", wire(memory)));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("memoryId");
        memories.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private void deleteOfAgent(Context ctx) {
        String agentId = agent(ctx);
        String id = ctx.pathParam("memoryId");
        Memory memory = memories.get(Owner.of(ctx), id);
        if (!agentId.equals(memory.agentId())) {
            throw new NotFoundException("memory", id);
        }
        memories.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("deleted", true).put("id", id));
    }

    private String agent(Context ctx) {
        String id = ctx.pathParam("agentId");
        return agents.find(id).orElseThrow(() -> new NotFoundException("agent", id)).id();
    }

    /** The one wire shape of a memory, seed 004's with seed 003's fields beside it. */
    static ObjectNode wire(Memory memory) {
        ObjectNode node = Json.object()
                .put("id", memory.id())
                .put("content", memory.content())
                .put("createdAt", memory.createdAt().toEpochMilli())
                .put("updatedAt", memory.updatedAt().toEpochMilli());
        ArrayNode tags = node.putArray("tags");
        memory.tags().forEach(tags::add);
        node.putObject("metadata").put("source", memory.source().wireName()).put("pinned", memory.pinned());
        node.put("agentId", memory.agentId());
        node.put("category", memory.category());
        node.put("importance", memory.importance());
        return node;
    }

    private static String content(Body body) {
        JsonNode content = body.get("content");
        if (content == null || !content.isTextual()) {
            throw new InvalidInputException("content", "is required and must be a string of 1 to "
                    + Memories.MAX_CONTENT + " characters");
        }
        return content.asText();
    }

    private static List<String> tags(Body body) {
        JsonNode tags = body.get("tags");
        if (tags == null) {
            return List.of();
        }
        if (!tags.isArray()) {
            throw new InvalidInputException("tags", "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            if (!tags.get(i).isTextual()) {
                throw new InvalidInputException("tags[" + i + "]", "must be a string");
            }
            out.add(tags.get(i).asText());
        }
        return out;
    }

    private static ObjectNode metadata(Body body) {
        JsonNode metadata = body.get("metadata");
        if (metadata == null) {
            return null;
        }
        if (!(metadata instanceof ObjectNode object)) {
            throw new InvalidInputException("metadata", "must be an object");
        }
        for (var names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!Set.of("source", "pinned").contains(name)) {
                throw new InvalidInputException("metadata." + name, "unknown field (allowed: source, pinned)");
            }
        }
        return object;
    }

    private static MemorySource source(ObjectNode metadata) {
        if (metadata == null || metadata.get("source") == null || metadata.get("source").isNull()) {
            return null;
        }
        MemorySource source = MemorySource.of(metadata.get("source").asText());
        if (!metadata.get("source").isTextual() || source == null) {
            throw new InvalidInputException("metadata.source", "must be user or system");
        }
        return source;
    }

    private static Boolean pinned(ObjectNode metadata) {
        if (metadata == null || metadata.get("pinned") == null || metadata.get("pinned").isNull()) {
            return null;
        }
        if (!metadata.get("pinned").isBoolean()) {
            throw new InvalidInputException("metadata.pinned", "must be true or false");
        }
        return metadata.get("pinned").booleanValue();
    }

    private static String category(Body body) {
        return body.optionalString("category");
    }

    private static Double importance(Body body) {
        JsonNode importance = body.get("importance");
        if (importance == null) {
            return null;
        }
        if (!importance.isNumber()) {
            throw new InvalidInputException("importance", "must be a number from 0 to 1");
        }
        return importance.doubleValue();
    }
}
