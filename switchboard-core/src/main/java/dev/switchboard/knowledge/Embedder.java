package dev.switchboard.knowledge;

import java.util.List;

/** Turns text into vectors whose cosine similarity follows meaning: a local model or a remote provider. */
public interface Embedder {

    /** Names the model, so vectors of another model are recomputed instead of compared. */
    String model();

    /** One vector per text, in order. */
    List<float[]> embed(List<String> texts);
}
