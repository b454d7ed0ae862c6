package dev.switchboard.mcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.failure.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {

    private static final Map<String, String> ENV = Map.of("TOKEN", "abc", "HOST", "example.org", "EMPTY", "");

    @Test
    void bothReferenceFormsAreFilledIn() {
        assertThat(EnvReferences.resolve("Bearer $TOKEN", ENV, "f")).isEqualTo("Bearer abc");
        assertThat(EnvReferences.resolve("https://${HOST}/v1?k=${TOKEN}x", ENV, "f"))
                .isEqualTo("https://example.org/v1?k=abcx");
        assertThat(EnvReferences.resolve("[$EMPTY]", ENV, "f")).isEqualTo("[]");
    }

    @Test
    void textWithoutReferencesIsKept() {
        assertThat(EnvReferences.resolve("plain", ENV, "f")).isEqualTo("plain");
        assertThat(EnvReferences.resolve("costs 5$ or $5", ENV, "f")).isEqualTo("costs 5$ or $5");
        assertThat(EnvReferences.resolve("pa$$word", ENV, "f")).isEqualTo("pa$word");
        assertThat(EnvReferences.resolve(null, ENV, "f")).isNull();
    }

    @Test
    void anUnsetVariableNamesItAndTheField() {
        assertThatThrownBy(() -> EnvReferences.resolve("${MISSING}", ENV, "config.headers.Authorization"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("config.headers.Authorization"))
                .hasMessageContaining("MISSING");
        assertThatThrownBy(() -> EnvReferences.resolve("${TOKEN", ENV, "config.env.X"))
                .isInstanceOf(InvalidInputException.class);
    }
}
