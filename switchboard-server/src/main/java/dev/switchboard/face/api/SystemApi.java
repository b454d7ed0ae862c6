package dev.switchboard.face.api;

import dev.switchboard.content.BlobStore;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** {@code /health}, the API document and its page, and stored blobs (to the owner of what they are attached to). */
public final class SystemApi {

    private final BlobStore blobs;
    private final Store store;
    private final String version;
    private final Instant startedAt;
    private final String openApi;
    private final String docsPage;

    public SystemApi(BlobStore blobs, Store store, String version, Instant startedAt) {
        this.blobs = blobs;
        this.store = store;
        this.version = version;
        this.startedAt = startedAt;
        this.openApi = resource("/openapi.json");
        this.docsPage = resource("/docs.html");
    }

    public void register(Routes routes) {
        routes.open()
                .get("/health", this::health)
                .get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi))
                .get("/docs", ctx -> ctx.contentType("text/html;charset=utf-8").result(docsPage));
        routes.get("/api/blobs/{blobId}", this::blob);
    }

    private void health(Context ctx) {
        ctx.json(Json.object()
                .put("status", "ok")
                .put("version", version)
                .put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds()));
    }

    private void blob(Context ctx) {
        String id = ctx.pathParam("blobId");
        if (!store.refersToBlob(Owner.of(ctx), id)) {
            throw new NotFoundException("blob", id);
        }
        byte[] data = blobs.get(id).orElseThrow(() -> new NotFoundException("blob", id));
        ctx.contentType("application/octet-stream").header("X-Content-Type-Options", "nosniff").result(data);
    }

    /** The API document as served, for the test that checks it against the routes. */
    public String openApi() {
        return openApi;
    }

    private static String resource(String name) {
        try (InputStream in = SystemApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
