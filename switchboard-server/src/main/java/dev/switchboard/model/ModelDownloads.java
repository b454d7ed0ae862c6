package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Downloads a GGUF model into the models folder ({@code switchboard models pull}): from a URL, or from a Hugging Face
 * repository ({@code owner/repo}, picking its Q4_K_M file when it has one, or {@code owner/repo/file.gguf}). Every
 * address, redirects included, passes the {@code http_request} address policy; the file is written beside the
 * target, checked as GGUF, then moved into place, so a failed download leaves nothing behind.
 */
public final class ModelDownloads {

    private static final Pattern REPO = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)"
            + "(?:/([A-Za-z0-9][A-Za-z0-9._/-]*\\.gguf))?");
    private static final int MAX_REDIRECTS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final LocalModels models;
    private final AddressPolicy policy;
    private final URI hub;
    private final String hubToken;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param hub the Hugging Face endpoint ({@code HF_ENDPOINT}, else https://huggingface.co)
     * @param hubToken {@code HF_TOKEN}, sent to the hub's own host only; may be null
     */
    public ModelDownloads(LocalModels models, AddressPolicy policy, URI hub, String hubToken) {
        this.models = models;
        this.policy = policy;
        this.hub = hub;
        this.hubToken = hubToken == null || hubToken.isBlank() ? null : hubToken.strip();
    }

    /** What was pulled. */
    public record Pulled(Path file, String id, long sizeBytes, String url, GgufHeader header) {
    }

    /** Downloads the model the source names; {@code progress} hears the bytes so far. */
    public Pulled pull(String source, boolean overwrite, LongConsumer progress) {
        String given = source == null ? "" : source.strip();
        URI url;
        String kind;
        if (given.startsWith("http://") || given.startsWith("https://")) {
            url = parse(given);
            kind = "url";
        } else {
            var repo = REPO.matcher(given);
            if (!repo.matches()) {
                throw new InvalidInputException("source", "give a Hugging Face repository (owner/repo or "
                        + "owner/repo/file.gguf) or an http(s) URL of a .gguf file");
            }
            String file = repo.group(3) != null ? repo.group(3) : pickFile(repo.group(1) + "/" + repo.group(2));
            url = hub.resolve("/" + repo.group(1) + "/" + repo.group(2) + "/resolve/main/" + file);
            kind = "huggingface";
        }
        String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidInputException("source", "the URL must name a .gguf file (letters, digits and ._-)");
        }
        Path target = models.folder().resolve(name);
        if (Files.exists(target) && !overwrite) {
            throw new InvalidInputException("source", "the models folder already holds " + name
                    + " (pull with --force to replace it)");
        }
        Path part = models.folder().resolve(name + ".part");
        try {
            Files.createDirectories(models.folder());
            try (InputStream body = open(url, "application/octet-stream");
                    OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n; (n = body.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    total += n;
                    progress.accept(total);
                }
            }
            GgufHeader header;
            try {
                header = GgufHeader.read(part);
            } catch (GgufHeader.InvalidGgufException e) {
                throw new InvalidInputException("source", "the download is not a valid GGUF model: " + e.getMessage());
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            models.noteSource(target, kind, url.toString());
            return new Pulled(target, name, Files.size(target), url.toString(), header);
        } catch (IOException e) {
            throw unreachable(url, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // a left-over .part is ignored by the listing
            }
        }
    }

    /** The repository's GGUF file: the Q4_K_M one if there is one, else the first by name. */
    private String pickFile(String repo) {
        URI api = hub.resolve("/api/models/" + repo);
        List<String> ggufs = new ArrayList<>();
        try (InputStream body = open(api, "application/json")) {
            JsonNode info = new ObjectMapper().readTree(body);
            for (JsonNode sibling : info.path("siblings")) {
                String file = sibling.path("rfilename").asText();
                if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
                    ggufs.add(file);
                }
            }
        } catch (IOException e) {
            throw unreachable(api, e);
        }
        if (ggufs.isEmpty()) {
            throw new InvalidInputException("source", "the repository " + repo + " holds no .gguf file");
        }
        ggufs.sort(null);
        return ggufs.stream().filter(f -> f.toUpperCase(java.util.Locale.ROOT).contains("Q4_K_M")).findFirst()
                .orElse(ggufs.getFirst());
    }

    /** The body at {@code url} after checked redirects; 4xx/5xx answers are {@link UpstreamException}s. */
    private InputStream open(URI url, String accept) throws IOException {
        URI uri = url;
        for (int hop = 0; ; hop++) {
            policy.check("source", uri);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", accept).GET();
            if (hubToken != null && hub.getHost().equalsIgnoreCase(uri.getHost())) {
                request.header("Authorization", "Bearer " + hubToken);
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            int status = response.statusCode();
            var location = response.headers().firstValue("location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                response.body().close();
                if (hop == MAX_REDIRECTS) {
                    throw new UpstreamException(url + " redirects more than " + MAX_REDIRECTS + " times",
                            Map.of("url", url.toString()));
                }
                try {
                    uri = uri.resolve(new URI(location.get().strip()));
                } catch (URISyntaxException e) {
                    throw new UpstreamException(url + " redirects to an invalid URL", Map.of("url", url.toString()));
                }
                continue;
            }
            if (status != 200) {
                response.body().close();
                throw new UpstreamException(uri + " answered HTTP " + status
                        + (status == 401 || status == 403 ? " (a gated repository needs HF_TOKEN)" : ""),
                        Map.of("url", uri.toString(), "status", status));
            }
            return response.body();
        }
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            AddressPolicy.shape("source", uri);
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException("source", "is not a valid URL");
        }
    }

    private static UpstreamException unreachable(URI url, IOException e) {
        return new UpstreamException("cannot download from " + url.getHost() + " (is the internet reachable?): "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                Map.of("url", url.toString()));
    }
}
