package dev.switchboard.pipeline;

import java.util.List;

/** A value given to a pipeline run at its start: a text, or a list of items a {@code foreach} step can run over. */
public sealed interface PipelineInput {

    /** The value as prompt templates show it (items one per line). */
    String text();

    /** A single text. */
    record Text(String text) implements PipelineInput {
    }

    /** A list of items: a plan given at the start. */
    record Items(List<String> items) implements PipelineInput {

        public Items {
            items = List.copyOf(items);
        }

        @Override
        public String text() {
            return String.join("\n", items.stream().map(item -> "- " + item).toList());
        }
    }
}
