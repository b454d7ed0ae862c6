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

    @Test
    void vaultReferencesAreReadByNameAndTheirValuesAreNotScannedAgain() {
        java.util.List<String> read = new java.util.ArrayList<>();
        java.util.function.UnaryOperator<String> vault = name -> {
            read.add(name);
            return name.equals("gh.token") ? "gh-$TOKEN-${HOST}" : "v-" + name;
        };
        assertThat(EnvReferences.resolve("Bearer $VAULT:gh.token", ENV, "f", vault)).isEqualTo("Bearer gh-$TOKEN-${HOST}");
        assertThat(EnvReferences.resolve("${VAULT:a-b}/$HOST", ENV, "f", vault)).isEqualTo("v-a-b/example.org");
        assertThat(EnvReferences.resolve("$$VAULT:literal", ENV, "f", vault)).isEqualTo("$VAULT:literal");
        assertThat(read).containsExactly("gh.token", "a-b");
        assertThatThrownBy(() -> EnvReferences.resolve("${VAULT:bad name}", ENV, "config.env.X", vault))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("config.env.X"));
        assertThatThrownBy(() -> EnvReferences.resolve("$VAULT:", ENV, "f", vault))
                .isInstanceOf(InvalidInputException.class);
        // without a vault a reference is an error, not text passed on
        assertThatThrownBy(() -> EnvReferences.resolve("$VAULT:x", ENV, "f")).isInstanceOf(InvalidInputException.class);
    }
}
