package dev.switchboard.llm.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.switchboard.knowledge.Embedder;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** An OpenAI-compatible {@code /embeddings} endpoint, for a bigger model than the bundled one. */
public final class RemoteEmbedder implements Embedder {

    private final String baseUrl;
    private final String modelName;
    private final Integer dimensions;
    private final Supplier<String> apiKey;
    private final String name;
    /** The client for the key it was built with; rebuilt when the key's reference resolves to another value. */
    private OpenAiEmbeddingModel client;
    private String clientKey;

    /**
     * @param baseUrl the API root, such as {@code https://api.openai.com/v1}
     * @param apiKey the key, resolved from its reference at each call so that a rotated key applies at once; never
     *     logged; null or empty for an endpoint that takes none
     * @param dimensions the vector size to ask for (models that can shorten their vectors), or null for the model's
     */
    public RemoteEmbedder(String baseUrl, String model, Integer dimensions, Supplier<String> apiKey) {
        this.baseUrl = baseUrl;
        this.modelName = model;
        this.dimensions = dimensions;
        this.apiKey = apiKey;
        // the name tells vectors apart in the index: another endpoint, model or size makes other vectors
        this.name = "remote:" + baseUrl + "|" + model + (dimensions == null ? "" : "|" + dimensions);
    }

    @Override
    public String model() {
        return name;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> vectors = client().embedAll(texts.stream().map(TextSegment::from).toList()).content();
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException("The embedding endpoint returned " + vectors.size() + " vectors for "
                    + texts.size() + " texts");
        }
        return vectors.stream().map(Embedding::vector).toList();
    }

    private synchronized OpenAiEmbeddingModel client() {
        String key = apiKey == null ? null : apiKey.get();
        key = key == null || key.isEmpty() ? "none" : key;
        if (client == null || !key.equals(clientKey)) {
            client = OpenAiEmbeddingModel.builder()
                    .httpClientBuilder(new JdkHttpClientBuilder())
                    .baseUrl(baseUrl)
                    .apiKey(key)
                    .modelName(modelName)
                    .dimensions(dimensions)
                    .timeout(Duration.ofSeconds(60))
                    .maxRetries(2)
                    .build();
            clientKey = key;
        }
        return client;
    }
}
