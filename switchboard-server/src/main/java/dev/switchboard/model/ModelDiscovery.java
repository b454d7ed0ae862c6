package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model lists beyond the bundled catalog: what a local Ollama serves ({@code /api/tags}), what an OpenAI-compatible
 * server lists ({@code /models}) and OpenRouter's model list, fetched when reachable and cached. None of it is needed
 * to run: an Ollama that is not running is {@code available: false}, an unreachable OpenRouter leaves the catalog.
 */
public final class ModelDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);
    /** How long a failed fetch of OpenRouter's list is not tried again, so validation never waits on it twice. */
    private static final Duration RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_LIST_BYTES = 16 * 1024 * 1024;

    /** One model an Ollama serves. */
    public record OllamaModel(String name, long size, String digest, String modifiedAt) {
    }

    /** What the Ollama at {@code baseUrl} answered; {@code available} false with the error when nothing did. */
    public record OllamaModels(String baseUrl, boolean available, String version, List<OllamaModel> models,
            String error) {
    }

    /** One model a server lists, with its context length where the list gives one. */
    public record ListedModel(String id, Integer contextLength) {
    }

    /** The outcome of checking an OpenRouter model id; {@code status} is valid, invalid or unknown. */
    public record Validation(String modelId, String status, Integer contextLength, String error, String source) {

        public boolean valid() {
            return status.equals("valid");
        }
    }

    private final ModelCatalog catalog;
    private final String ollamaBaseUrl;
    private final Optional<String> openRouterModelsUrl;
    private final Duration refreshEvery;
    private final AddressPolicy policy;
    private final Clock clock;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    private Map<String, ListedModel> openRouter;
    private Instant openRouterFetchedAt;
    private Instant openRouterFailedAt;

    /**
     * @param ollamaBaseUrl the operator's Ollama, asked without the address policy (it is usually on loopback)
     * @param openRouterModelsUrl OpenRouter's model list, empty when it is never fetched
     * @param policy the outgoing-address policy that URLs given in requests are held to
     */
    public ModelDiscovery(ModelCatalog catalog, String ollamaBaseUrl, Optional<String> openRouterModelsUrl,
            Duration refreshEvery, AddressPolicy policy, Clock clock) {
        this.catalog = catalog;
        this.ollamaBaseUrl = ollamaBaseUrl;
        this.openRouterModelsUrl = openRouterModelsUrl;
        this.refreshEvery = refreshEvery;
        this.policy = policy;
        this.clock = clock;
    }

    public String ollamaBaseUrl() {
        return ollamaBaseUrl;
    }

    /**
     * The models of the Ollama at {@code baseUrl} (null for the configured one). A URL other than the configured one
     * must pass the address policy (400 naming {@code field}); one that does not answer is {@code available: false}.
     */
    public OllamaModels ollama(String baseUrl, String field) {
        String root = trimmed(baseUrl == null || baseUrl.isBlank() ? ollamaBaseUrl : baseUrl);
        if (!root.equals(ollamaBaseUrl)) {
            AddressPolicy.shape(field, parse(root, field));
            policy.check(field, parse(root, field));
        }
        try {
            JsonNode tags = get(root + "/api/tags", PROBE_TIMEOUT, null);
            List<OllamaModel> models = new ArrayList<>();
            for (JsonNode m : tags.path("models")) {
                models.add(new OllamaModel(m.path("name").asText(m.path("model").asText()), m.path("size").asLong(),
                        m.path("digest").asText(null), m.path("modified_at").asText(null)));
            }
            String version = null;
            try {
                version = get(root + "/api/version", PROBE_TIMEOUT, null).path("version").asText(null);
            } catch (IOException | RuntimeException e) {
                // older servers have no /api/version; the models are what matters
            }
            return new OllamaModels(root, true, version, List.copyOf(models), null);
        } catch (IOException e) {
            return new OllamaModels(root, false, null, List.of(), "Ollama is not reachable at " + root + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OllamaModels(root, false, null, List.of(), "interrupted");
        }
    }

    /**
     * The models an OpenAI-compatible server lists at {@code <baseUrl>/models}, the URL held to the address policy.
     *
     * @throws UpstreamException (502) when the server cannot be reached or answers an error
     */
    public List<ListedModel> openAiCompatible(String baseUrl, String apiKey, String field) {
        String root = trimmed(baseUrl);
        policy.checkedUrl(field, root);
        try {
            return listed(get(root + "/models", LIST_TIMEOUT, apiKey));
        } catch (IOException e) {
            throw new UpstreamException("The model list at " + root + "/models could not be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    Map.of("baseURL", root));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("Interrupted while listing models", Map.of("baseURL", root));
        }
    }

    /**
     * Checks an OpenRouter model id against OpenRouter's list (fetched again when older than the refresh interval)
     * or, when that list cannot be had, the bundled catalog: a model neither knows is {@code invalid} when the list
     * was read and {@code unknown} when only the catalog was.
     */
    public Validation validateOpenRouter(String modelId) {
        Map<String, ListedModel> list = openRouterList();
        if (list != null) {
            ListedModel found = list.get(modelId);
            return found != null ? new Validation(modelId, "valid", found.contextLength(), null, "openrouter")
                    : new Validation(modelId, "invalid", null, "'" + modelId + "' is not a model OpenRouter lists",
                            "openrouter");
        }
        Optional<CatalogModel> known = catalog.find("openrouter", modelId);
        if (known.isPresent()) {
            return new Validation(modelId, "valid", known.get().contextWindow(), null, "catalog");
        }
        return new Validation(modelId, "unknown", null, "'" + modelId + "' is not in the bundled catalog, and "
                + "OpenRouter's model list could not be fetched to check it", "catalog");
    }

    /** OpenRouter's models as last fetched, refreshed when stale; null when it has never been read. */
    synchronized Map<String, ListedModel> openRouterList() {
        if (openRouterModelsUrl.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        boolean fresh = openRouterFetchedAt != null && openRouterFetchedAt.plus(refreshEvery).isAfter(now);
        boolean resting = openRouterFailedAt != null && openRouterFailedAt.plus(RETRY_AFTER).isAfter(now);
        if (!fresh && !resting) {
            try {
                Map<String, ListedModel> fetched = new LinkedHashMap<>();
                listed(get(openRouterModelsUrl.get(), LIST_TIMEOUT, null)).forEach(m -> fetched.put(m.id(), m));
                if (!fetched.isEmpty()) {
                    openRouter = fetched;
                    openRouterFetchedAt = now;
                    openRouterFailedAt = null;
                }
            } catch (IOException | RuntimeException e) {
                openRouterFailedAt = now;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return openRouter;
    }

    private static List<ListedModel> listed(JsonNode list) {
        List<ListedModel> models = new ArrayList<>();
        for (JsonNode m : list.path("data")) {
            if (m.path("id").isTextual()) {
                JsonNode context = m.path("context_length");
                models.add(new ListedModel(m.path("id").asText(), context.isNumber() ? context.asInt() : null));
            }
        }
        return models;
    }

    private JsonNode get(String url, Duration timeout, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json").GET();
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<java.io.InputStream> response = client.send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_LIST_BYTES + 1);
            if (bytes.length > MAX_LIST_BYTES) {
                throw new IOException("the answer is larger than " + MAX_LIST_BYTES + " bytes");
            }
            return JSON.readTree(bytes);
        }
    }

    private static String trimmed(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static URI parse(String url, String field) {
        try {
            return new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new dev.switchboard.failure.InvalidInputException(field, "is not a valid URL");
        }
    }
}
