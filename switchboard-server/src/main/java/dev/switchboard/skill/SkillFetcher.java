package dev.switchboard.skill;

import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Fetches a SKILL.md document for an import, under the address rules of {@code http_request}: public addresses
 * only unless the server's {@code tools.httpRequest} settings open more, every redirect checked again, a size cap.
 */
public final class SkillFetcher {

    private static final int MAX_REDIRECTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final AddressPolicy policy;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(TIMEOUT).build();

    public SkillFetcher(AddressPolicy policy) {
        this.policy = policy;
    }

    /** The text at {@code url}; 400 naming {@code url} when it may not be reached, 502 when the fetch fails. */
    public String fetch(String url) {
        URI uri = parse(url);
        for (int hop = 0; ; hop++) {
            check(uri);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "text/markdown, text/plain;q=0.9, */*;q=0.1").GET().build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new UpstreamException("Could not fetch " + uri + ": " + e.getMessage(),
                        java.util.Map.of("url", uri.toString()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException("Interrupted while fetching " + uri,
                        java.util.Map.of("url", uri.toString()));
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                close(response);
                if (hop == MAX_REDIRECTS) {
                    throw new InvalidInputException("url", "redirects more than " + MAX_REDIRECTS + " times");
                }
                try {
                    uri = uri.resolve(new URI(location.get().strip()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new InvalidInputException("url", "redirects to an invalid URL");
                }
                shape(uri);
                continue;
            }
            if (status != 200) {
                close(response);
                throw new UpstreamException("Fetching " + uri + " answered HTTP " + status,
                        java.util.Map.of("url", uri.toString(), "status", status));
            }
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(SkillMarkdown.MAX_BYTES + 1);
                if (bytes.length > SkillMarkdown.MAX_BYTES) {
                    throw new InvalidInputException("url", "the document is larger than " + SkillMarkdown.MAX_BYTES
                            + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UpstreamException("Could not read " + uri + ": " + e.getMessage(),
                        java.util.Map.of("url", uri.toString()));
            }
        }
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url", "is not a valid URL");
        }
        shape(uri);
        // a GitHub page of a file: fetch the file itself
        if ("github.com".equalsIgnoreCase(uri.getHost()) && uri.getPath() != null
                && uri.getPath().matches("/[^/]+/[^/]+/blob/.+")) {
            uri = URI.create("https://raw.githubusercontent.com" + uri.getPath().replaceFirst("/blob/", "/"));
        }
        return uri;
    }

    private static void shape(URI uri) {
        AddressPolicy.shape("url", uri);
    }

    private void check(URI uri) {
        policy.check("url", uri);
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // the connection is dropped instead of reused
        }
    }
}
