package dev.switchboard.llm.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.userprofile.FactChanges;
import org.junit.jupiter.api.Test;

class JtokkitTokenCounterTest {

    @Test
    void countsWithTheModelsTokenizer() {
        JtokkitTokenCounter counter = new JtokkitTokenCounter();

        assertThat(counter.count("gpt-4o", "hello world")).isEqualTo(2);
        assertThat(counter.count("gpt-4", "hello world")).isEqualTo(2);
        assertThat(counter.count("claude-sonnet-4", "")).isZero();
        assertThat(counter.count(null, "The quick brown fox jumps over the lazy dog.")).isBetween(9, 11);
    }

    @Test
    void readsTheProfileAnswerThroughACodeFenceAndSkipsWhatWasNotAsked() {
        FactChanges changes = new JsonFactChanges().read("""
                Here you go:
                ```json
                {"new": [{"fact": "Lives in Lyon", "confidence": 0.9}, {"fact": ""}, "Prefers tea"],
                 "confirmed": [{"id": "fact_1", "confidence": 0.8}],
                 "contradicted": ["fact_2", {"id": "fact_3"}]}
                ```""");

        assertThat(changes.learned()).containsExactly(new FactChanges.NewFact("Lives in Lyon", 0.9),
                new FactChanges.NewFact("Prefers tea", 0.5));
        assertThat(changes.confirmed()).containsExactly(new FactChanges.Confirmation("fact_1", 0.8));
        assertThat(changes.contradicted()).containsExactly("fact_2", "fact_3");
        assertThatThrownBy(() -> new JsonFactChanges().read("no idea")).isInstanceOf(IllegalArgumentException.class);
    }
}
