package dev.switchboard.llm.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.switchboard.knowledge.Embedder;
import java.time.Duration;
import java.util.List;

/** An OpenAI-compatible {@code /v1/embeddings} endpoint, for a bigger model than the bundled one. */
public final class RemoteEmbedder implements Embedder {

    private final OpenAiEmbeddingModel model;
    private final String name;

    /**
     * @param baseUrl the API root, such as {@code https://api.openai.com/v1}
     * @param apiKey the key, already resolved from its reference; never logged
     */
    public RemoteEmbedder(String baseUrl, String apiKey, String model) {
        this.name = "remote:" + model;
        this.model = OpenAiEmbeddingModel.builder()
                .httpClientBuilder(new JdkHttpClientBuilder())
                .baseUrl(baseUrl)
                .apiKey(apiKey == null || apiKey.isEmpty() ? "none" : apiKey)
                .modelName(model)
                .timeout(Duration.ofSeconds(60))
                .maxRetries(2)
                .build();
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
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector)
                .toList();
    }
}
