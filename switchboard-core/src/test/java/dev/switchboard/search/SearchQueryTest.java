package dev.switchboard.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.failure.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchQueryTest {

    @Test
    void wordsStandAloneAndQuotedWordsFormPhrases() {
        assertThat(SearchQuery.parse("deploy \"blue green\" rollout", "q").phrases())
                .containsExactly(List.of("deploy"), List.of("blue", "green"), List.of("rollout"));
    }

    @Test
    void queryLanguageSyntaxIsReducedToPlainWords() {
        assertThat(SearchQuery.parse("'; DROP TABLE messages; --", "q").phrases())
                .containsExactly(List.of("DROP"), List.of("TABLE"), List.of("messages"));
        assertThat(SearchQuery.parse("foo* -bar NEAR(baz, 2) a:b", "q").phrases())
                .containsExactly(List.of("foo"), List.of("bar"), List.of("NEAR"), List.of("baz"), List.of("2"),
                        List.of("a"), List.of("b"));
        // an unclosed quote runs to the end; an empty phrase disappears
        assertThat(SearchQuery.parse("\"\" \"half open", "q").phrases()).containsExactly(List.of("half", "open"));
        assertThat(SearchQuery.parse("café ünïcode 東京", "q").phrases())
                .containsExactly(List.of("café"), List.of("ünïcode"), List.of("東京"));
    }

    @Test
    void aQueryWithoutWordsIsRefusedNamingTheField() {
        for (String typed : new String[] {"", "   ", "\"\"", "*", "-- ; '"}) {
            assertThatThrownBy(() -> SearchQuery.parse(typed, "q")).isInstanceOf(InvalidInputException.class)
                    .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("q");
        }
        assertThatThrownBy(() -> SearchQuery.parse(null, "q")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SearchQuery.parse("a".repeat(SearchQuery.MAX_LENGTH + 1), "q"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theExcerptShowsTheEarliestMatchInItsOwnWordsWithContext() {
        String text = "x ".repeat(100) + "We moved to a Blue-Green deployment last week, and " + "y ".repeat(100);
        Excerpt excerpt = SearchQuery.parse("\"blue green\" deployment", "q").excerpt(text);
        assertThat(excerpt.matchedText()).isEqualTo("Blue-Green");
        assertThat(excerpt.context()).startsWith("…").endsWith("…").contains("We moved to a Blue-Green deployment");
        assertThat(excerpt.context().length()).isLessThan(200);

        Excerpt whole = SearchQuery.parse("short", "q").excerpt("A short note.");
        assertThat(whole).isEqualTo(new Excerpt("short", "A short note."));
        // part of a word is not a match
        assertThat(SearchQuery.parse("port", "q").excerpt("import report").matchedText()).isEqualTo("port");
        assertThat(SearchQuery.parse("port", "q").excerpt("import report").context()).isEqualTo("import report");
    }
}
