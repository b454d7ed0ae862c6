package dev.switchboard.face.api;

import dev.switchboard.content.BlobStore;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /health}, the API document and its page, and stored blobs (to the owner of what they are attached to). */
public final class SystemApi {

    private static final Pattern INLINE = Pattern.compile("<(script|style)>(.*?)</\\1>", Pattern.DOTALL);

    private final BlobStore blobs;
    private final Store store;
    private final String version;
    private final Instant startedAt;
    private final String openApi;
    private final String docsPage;
    private final String docsPolicy;

    public SystemApi(BlobStore blobs, Store store, String version, Instant startedAt) {
        this.blobs = blobs;
        this.store = store;
        this.version = version;
        this.startedAt = startedAt;
        this.openApi = resource("/openapi.json");
        this.docsPage = resource("/docs.html");
        this.docsPolicy = pagePolicy(docsPage);
    }

    public void register(Routes routes) {
        routes.open()
                .get("/health", this::health)
                .get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi))
                .get("/docs", ctx -> ctx.contentType("text/html;charset=utf-8")
                        .header("Content-Security-Policy", docsPolicy).result(docsPage));
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

    /**
     * The content policy of a page the server serves: its own inline scripts and styles (by hash) and requests to
     * this server may run; nothing else may load, and no one may frame it.
     */
    static String pagePolicy(String html) {
        StringBuilder scripts = new StringBuilder();
        StringBuilder styles = new StringBuilder();
        Matcher inline = INLINE.matcher(html);
        while (inline.find()) {
            (inline.group(1).equals("script") ? scripts : styles).append(" '").append(sha256(inline.group(2)))
                    .append('\'');
        }
        return "default-src 'none'; script-src" + (scripts.isEmpty() ? " 'none'" : scripts) + "; style-src"
                + (styles.isEmpty() ? " 'none'" : styles) + "; connect-src 'self'; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'";
    }

    private static String sha256(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
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
