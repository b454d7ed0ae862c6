package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingsConfigTest {

    @TempDir
    Path dir;

    @Test
    void theBundledModelIsTheDefault() {
        assertThat(ServerConfig.defaults().embeddings().local()).isTrue();
    }

    @Test
    void aRemoteEndpointIsReadWithItsKeyFromTheEnvironmentOrLeftAsAVaultReference() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, """
                embeddings:
                  provider: openai-compatible
                  baseURL: https://api.example.com/v1
                  model: text-embedding-3-small
                  apiKey: ${EMBED_KEY}
                  dimensions: 256
                """);
        ServerConfig.Embeddings read = ServerConfigFile.load(file, Map.of("EMBED_KEY", "k-123")).embeddings();
        assertThat(read).isEqualTo(new ServerConfig.Embeddings("openai-compatible", "https://api.example.com/v1",
                "text-embedding-3-small", "k-123", 256));
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of())).hasMessageContaining("EMBED_KEY");

        Files.writeString(file, """
                embeddings: {provider: openai-compatible, baseURL: 'http://127.0.0.1:8080', model: m,
                  apiKey: '$VAULT:embeddings'}
                """);
        assertThat(ServerConfigFile.load(file, Map.of()).embeddings().apiKey()).isEqualTo("$VAULT:embeddings");
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ServerConfig.Embeddings("cohere", null, null, null, null))
                .hasMessageContaining("embeddings.provider");
        assertThatThrownBy(() -> new ServerConfig.Embeddings("openai-compatible", null, "m", null, null))
                .hasMessageContaining("embeddings.baseURL");
        assertThatThrownBy(() -> new ServerConfig.Embeddings("openai-compatible", "ftp://x", "m", null, null))
                .hasMessageContaining("embeddings.baseURL");
        assertThatThrownBy(() -> new ServerConfig.Embeddings("openai-compatible", "http://x", null, null, null))
                .hasMessageContaining("embeddings.model");
        assertThatThrownBy(() -> new ServerConfig.Embeddings("openai-compatible", "http://x", "m", null, 0))
                .hasMessageContaining("embeddings.dimensions");
        assertThatThrownBy(() -> new ServerConfig.Embeddings("local", null, "m", null, null))
                .hasMessageContaining("openai-compatible only");
    }
}
