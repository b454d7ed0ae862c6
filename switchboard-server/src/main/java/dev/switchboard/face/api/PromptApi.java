package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.prompt.PromptArgument;
import dev.switchboard.prompt.PromptInfo;
import dev.switchboard.prompt.Prompts;
import dev.switchboard.prompt.ResolvedPrompt;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/prompts}: MCP servers' prompts and custom templates; create, get, delete, resolve. */
public final class PromptApi {

    private final Prompts prompts;
    private final AgentCatalog agents;

    public PromptApi(Prompts prompts, AgentCatalog agents) {
        this.prompts = prompts;
        this.agents = agents;
    }

    public void register(Routes routes) {
        routes.get("/api/prompts", this::list)
                .post("/api/prompts/custom", this::create)
                .get("/api/prompts/{name}", this::get)
                .delete("/api/prompts/{name}", this::delete)
                .post("/api/prompts/{name}/resolve", this::resolve);
    }

    private void list(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ArrayNode list = Json.MAPPER.createArrayNode();
        prompts.list(Owner.of(ctx), agent.id()).forEach(p -> list.add(McpWire.prompt(p)));
        ctx.json(Json.object().set("prompts", list));
    }

    private void get(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        PromptInfo prompt = prompts.get(Owner.of(ctx), agent.id(), ctx.pathParam("name"));
        ctx.json(Json.object().set("definition", McpWire.prompt(prompt)));
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "name", "title", "description", "content", "arguments", "resource");
        List<PromptArgument> arguments = arguments(body.get("arguments"));
        Prompts.Upload upload = upload(body.get("resource"));
        PromptInfo created = prompts.create(Owner.of(ctx), body.requiredString("name"), body.optionalString("title"),
                body.optionalString("description"), body.requiredString("content"), arguments, upload);
        ctx.status(201).json(Json.object().set("prompt", McpWire.prompt(created)));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        prompts.delete(Owner.of(ctx), name);
        ctx.json(Json.object().put("deleted", true).put("name", name));
    }

    /** {@code args} may be a JSON object or, as seed 004 documents it, a JSON string holding one. */
    private void resolve(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "context", "args");
        JsonNode args = body.get("args");
        if (args != null && args.isTextual()) {
            try {
                args = Json.MAPPER.readTree(args.asText());
            } catch (java.io.IOException e) {
                throw new InvalidInputException("args", "is a string that does not hold a JSON object");
            }
        }
        if (args != null && !args.isObject()) {
            throw new InvalidInputException("args", "must be a JSON object (or a string holding one)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (args != null) {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) args::fields) {
                JsonNode value = field.getValue();
                if (!value.isValueNode()) {
                    throw new InvalidInputException("args." + field.getKey(), "must be a string, number or boolean");
                }
                values.put(field.getKey(), value.asText());
            }
        }
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ResolvedPrompt resolved = prompts.resolve(Owner.of(ctx), agent.id(), ctx.pathParam("name"), values,
                body.optionalString("context"));
        ArrayNode resources = Json.MAPPER.createArrayNode();
        resolved.resources().forEach(resources::add);
        ctx.json(Json.object().put("text", resolved.text()).set("resources", resources));
    }

    private static List<PromptArgument> arguments(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException("arguments", "must be an array");
        }
        List<PromptArgument> arguments = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode a = node.get(i);
            String field = "arguments[" + i + "]";
            if (!a.isObject() || !a.path("name").isTextual()) {
                throw new InvalidInputException(field + ".name", "is required and must be a string");
            }
            if (a.has("required") && !a.get("required").isBoolean()) {
                throw new InvalidInputException(field + ".required", "must be true or false");
            }
            if (a.has("description") && !a.get("description").isTextual()) {
                throw new InvalidInputException(field + ".description", "must be a string");
            }
            arguments.add(new PromptArgument(a.get("name").asText(),
                    a.has("description") ? a.get("description").asText() : null,
                    a.path("required").asBoolean(false)));
        }
        return arguments;
    }

    /** The attached resource: {@code {data (base64 or a data: URL), mimeType, filename?}}. */
    private static Prompts.Upload upload(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (!node.isObject() || !node.path("data").isTextual()) {
            throw new InvalidInputException("resource.data", "is required and must be base64 text");
        }
        String data = node.get("data").asText();
        String mime = node.path("mimeType").isTextual() ? node.get("mimeType").asText() : null;
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
                throw new InvalidInputException("resource.data", "a data: URL must be base64 encoded");
            }
            if (mime == null) {
                mime = data.substring(5, data.indexOf(';'));
            }
            data = data.substring(comma + 1);
        }
        if (mime == null || !mime.matches("[\\w.+-]+/[\\w.+-]+")) {
            throw new InvalidInputException("resource.mimeType", "is required and must be a media type such as "
                    + "text/plain");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("resource.data", "is not valid base64");
        }
        String filename = node.path("filename").isTextual() ? node.get("filename").asText() : null;
        return new Prompts.Upload(bytes, mime, filename);
    }
}
