package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.AgentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an agent's API key comes from: its file, then a provider key stored in the vault, then the environment. */
class ProviderKeysOfAgentsTest {

    @TempDir
    Path dir;

    @Test
    void aVaultReferenceStaysAReferenceToBeReadAtEachCall() {
        AgentDefinition agent = FileAgentCatalog.parse("a", "agents/a.yml", """
                llm:
                  provider: anthropic
                  apiKey: " $VAULT:anthropic.key "
                """, Map.of("VAULT", "not this"));
        assertThat(agent.llm().apiKey()).isEqualTo("$VAULT:anthropic.key");
        assertThat(agent.llmProblem()).isNull();
        AgentDefinition braced = FileAgentCatalog.parse("a", "agents/a.yml", """
                llm:
                  provider: openai
                  apiKey: ${VAULT:openai}
                """, Map.of());
        assertThat(braced.llm().apiKey()).isEqualTo("${VAULT:openai}");
    }

    @Test
    void aStoredProviderKeyServesAgentsWithoutAKeyOfTheirOwnAndWinsOverTheEnvironment() throws Exception {
        Files.writeString(dir.resolve("bare.yml"), "systemPrompt: hi\n");
        Files.writeString(dir.resolve("openai.yml"), "llm:\n  provider: openai\n");
        Files.writeString(dir.resolve("own.yml"), "llm:\n  provider: openai\n  apiKey: own-key\n");
        FileAgentCatalog catalog = FileAgentCatalog.load(dir, dir.resolve("workspaces"), null,
                Map.of("OPENAI_API_KEY", "env-key"));
        assertThat(catalog.find("bare").orElseThrow().llm().apiKey()).isEqualTo("env-key");
        assertThat(catalog.find("openai").orElseThrow().llm().apiKey()).isEqualTo("env-key");

        catalog.useStoredProviderKeys(Set.of("openai"));

        assertThat(catalog.find("bare").orElseThrow().llm().apiKey()).isEqualTo("$VAULT:llm.openai");
        assertThat(catalog.find("openai").orElseThrow().llm().apiKey()).isEqualTo("$VAULT:llm.openai");
        assertThat(catalog.find("own").orElseThrow().llm().apiKey()).isEqualTo("own-key");
    }

    @Test
    void anAgentWithoutAnyProviderPicksOneWhoseKeyIsStored() throws Exception {
        Files.writeString(dir.resolve("bare.yml"), "systemPrompt: hi\n");
        Files.writeString(dir.resolve("google.yml"), "llm:\n  provider: google\n");
        FileAgentCatalog catalog = FileAgentCatalog.load(dir, dir.resolve("workspaces"), null, Map.of());
        assertThat(catalog.find("bare").orElseThrow().llm()).isNull();
        assertThat(catalog.find("bare").orElseThrow().llmProblem()).contains("POST /api/llm/key");
        assertThat(catalog.find("google").orElseThrow().llmProblem()).contains("GOOGLE_API_KEY")
                .contains("POST /api/llm/key");

        catalog.useStoredProviderKeys(Set.of("anthropic", "google"));

        AgentDefinition bare = catalog.find("bare").orElseThrow();
        assertThat(bare.llm().provider()).isEqualTo("anthropic");
        assertThat(bare.llm().apiKey()).isEqualTo("$VAULT:llm.anthropic");
        assertThat(catalog.find("google").orElseThrow().llm().apiKey()).isEqualTo("$VAULT:llm.google");
    }
}
