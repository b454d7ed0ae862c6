package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.content.BlobStore;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.prompt.CustomPrompt;
import dev.switchboard.store.Store;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code /api/resources}: the resources of an agent's connected MCP servers, named {@code mcp:<server>:<uri>},
 * and the caller's internal ones (files attached to custom prompts, {@code blob:<id>}).
 */
public final class ResourceApi {

    private final McpConnections mcp;
    private final AgentCatalog agents;
    private final Store store;
    private final BlobStore blobs;

    public ResourceApi(McpConnections mcp, AgentCatalog agents, Store store, BlobStore blobs) {
        this.mcp = mcp;
        this.agents = agents;
        this.store = store;
        this.blobs = blobs;
    }

    public void register(Routes routes) {
        routes.get("/api/resources", this::list).get("/api/resources/{resourceId}/content", this::content);
    }

    private void list(Context ctx) {
        AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (McpServerState server : mcp.servers(agent.id())) {
            if (!server.connected()) {
                continue;
            }
            for (McpResource resource : mcp.resources(agent.id(), server.name())) {
                list.add(McpWire.resource(resource, true));
            }
        }
        for (CustomPrompt prompt : store.listPrompts(Owner.of(ctx))) {
            CustomPrompt.Attachment file = prompt.resource();
            if (file != null) {
                ObjectNode json = list.addObject()
                        .put("uri", "blob:" + file.blobId())
                        .put("name", file.filename() == null ? prompt.name() : file.filename())
                        .put("description", "Attached to prompt '" + prompt.name() + "'")
                        .put("source", "internal")
                        .put("size", file.size());
                if (file.mimeType() != null) {
                    json.put("mimeType", file.mimeType());
                }
            }
        }
        ctx.json(Json.object().put("ok", true).set("resources", list));
    }

    private void content(Context ctx) {
        String uri = ctx.pathParam("resourceId");
        ObjectNode contents;
        if (uri.startsWith("mcp:")) {
            int second = uri.indexOf(':', 4);
            if (second < 0) {
                throw new InvalidInputException("resourceId", "must be mcp:<server>:<uri> or blob:<id>");
            }
            AgentDefinition agent = AgentParam.fromQuery(ctx, agents);
            contents = McpWire.contents(mcp.readResource(agent.id(), uri.substring(4, second),
                    uri.substring(second + 1)));
        } else if (uri.startsWith("blob:")) {
            contents = blob(Owner.of(ctx), uri);
        } else {
            throw new InvalidInputException("resourceId", "must be mcp:<server>:<uri> or blob:<id>");
        }
        ctx.json(Json.object().put("ok", true).set("content", contents));
    }

    /** Only a blob attached to one of the caller's prompts is a resource of the caller's. */
    private ObjectNode blob(String ownerId, String uri) {
        String blobId = uri.substring("blob:".length());
        CustomPrompt.Attachment file = store.listPrompts(ownerId).stream()
                .map(CustomPrompt::resource)
                .filter(a -> a != null && a.blobId().equals(blobId))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("resource", uri));
        byte[] data = blobs.get(blobId).orElseThrow(() -> new NotFoundException("resource", uri));
        ObjectNode contents = Json.object();
        ObjectNode item = contents.putArray("contents").addObject().put("uri", uri);
        String mime = file.mimeType() == null ? "application/octet-stream" : file.mimeType();
        item.put("mimeType", mime);
        if (mime.startsWith("text/") || mime.endsWith("json") || mime.endsWith("xml") || mime.endsWith("yaml")) {
            item.put("text", new String(data, StandardCharsets.UTF_8));
        } else {
            item.put("blob", Base64.getEncoder().encodeToString(data));
        }
        return contents;
    }
}
