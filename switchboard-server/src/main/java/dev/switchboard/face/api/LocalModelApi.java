package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.llm.llamacpp.LlamaCppLlmClient;
import dev.switchboard.model.LocalModels;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Seed 004's local model registry: the GGUF files under the home's {@code models/} folder, what their headers say,
 * whether llama.cpp has them loaded; validating a file, and removing one (administrators).
 */
public final class LocalModelApi {

    private final LocalModels models;
    private final LlamaCppLlmClient llama;

    public LocalModelApi(LocalModels models, LlamaCppLlmClient llama) {
        this.models = models;
        this.llama = llama;
    }

    public void register(Routes routes) {
        routes.get("/api/models/local", this::list)
                .post("/api/models/local/validate", this::validate);
        routes.admin()
                .delete("/api/models/local/{modelId}", this::delete);
    }

    private void list(Context ctx) {
        List<Path> loaded = llama.loaded();
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (LocalModels.LocalModel m : models.list()) {
            list.add(wire(m, loaded.contains(m.file())));
        }
        ObjectNode body = Json.object();
        body.set("models", list);
        body.put("folder", models.folder().toString());
        ctx.json(body);
    }

    private void validate(Context ctx) {
        Body body = Body.of(ctx);
        String filePath = body.optionalString("filePath");
        if (filePath == null) {
            filePath = body.optionalString("modelId");
        }
        if (filePath == null || filePath.isBlank()) {
            throw new InvalidInputException("filePath", "filePath is required: a model id or a path inside "
                    + models.folder());
        }
        LocalModels.LocalModel model = models.validate(filePath, "filePath");
        ObjectNode answer = wire(model, llama.loaded().contains(model.file()));
        answer.put("valid", true);
        ctx.json(answer);
    }

    private void delete(Context ctx) {
        Body body = Body.of(ctx);
        if (!body.optionalBoolean("deleteFile", true)) {
            throw new InvalidInputException("deleteFile", "deleteFile must be true: the models folder is the "
                    + "registry, so removing a model removes its file");
        }
        String id = models.delete(ctx.pathParam("modelId"));
        ctx.json(Json.MAPPER.valueToTree(Map.of("success", true, "modelId", id, "fileDeleted", true)));
    }

    private static ObjectNode wire(LocalModels.LocalModel m, boolean loaded) {
        ObjectNode node = Json.object()
                .put("id", m.id())
                .put("displayName", m.displayName())
                .put("filePath", m.file().toString())
                .put("sizeBytes", m.sizeBytes())
                .put("source", m.source())
                .put("sourceUrl", m.sourceUrl())
                .put("valid", m.valid())
                .put("loaded", loaded);
        m.header().ifPresentOrElse(h -> {
            node.put("contextLength", h.contextLength());
            node.put("architecture", h.architecture());
            node.put("ggufVersion", h.version());
            node.put("tensorCount", h.tensorCount());
            ObjectNode meta = node.putObject("metadata");
            h.metadata().forEach((key, value) -> meta.set(key, Json.MAPPER.valueToTree(value)));
        }, () -> node.put("error", m.error()));
        return node;
    }
}
