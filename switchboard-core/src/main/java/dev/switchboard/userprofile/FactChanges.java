package dev.switchboard.userprofile;

import java.util.List;

/**
 * What the model made of a conversation, given the facts known so far: facts it learned, known facts the
 * conversation confirmed, and known facts it contradicted.
 */
public record FactChanges(List<NewFact> learned, List<Confirmation> confirmed, List<String> contradicted) {

    public FactChanges {
        learned = List.copyOf(learned);
        confirmed = List.copyOf(confirmed);
        contradicted = List.copyOf(contradicted);
    }

    /** A fact the conversation taught. */
    public record NewFact(String fact, double confidence) {
    }

    /** A known fact (by id) the conversation confirmed, with the model's confidence now. */
    public record Confirmation(String factId, double confidence) {
    }

    /** Reads the model's answer (JSON text) into changes; an adapter, since the core holds no JSON library. */
    @FunctionalInterface
    public interface Reader {

        /** @throws IllegalArgumentException when the answer is not the JSON asked for */
        FactChanges read(String answer);
    }
}
