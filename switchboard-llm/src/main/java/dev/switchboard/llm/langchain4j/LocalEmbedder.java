package dev.switchboard.llm.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.switchboard.knowledge.Embedder;
import java.util.List;

/** all-MiniLM-L6-v2 run in-process by ONNX Runtime; the model ships inside the jar, so nothing is downloaded. */
public final class LocalEmbedder implements Embedder {

    /** Loaded on first use, by the embedding worker: loading takes a moment the server's start need not wait. */
    private EmbeddingModel model;

    private synchronized EmbeddingModel loaded() {
        if (model == null) {
            model = new AllMiniLmL6V2EmbeddingModel();
        }
        return model;
    }

    @Override
    public String model() {
        return "all-minilm-l6-v2";
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return loaded().embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector)
                .toList();
    }
}
