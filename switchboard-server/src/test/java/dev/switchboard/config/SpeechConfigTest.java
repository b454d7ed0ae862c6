package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutASectionTranscriptionIsOffSpeechIsLocalAndDiscoveryHasItsDefaults() {
        ServerConfig config = ServerConfig.defaults();
        assertThat(config.speech().transcription()).isNull();
        assertThat(config.speech().tts()).isNull();
        assertThat(config.speech().espeak()).isEqualTo("espeak-ng");
        assertThat(config.speech().maxAudioBytes()).isEqualTo(25L * 1024 * 1024);
        assertThat(config.discovery().ollamaBaseUrl()).isEqualTo("http://localhost:11434");
        assertThat(config.discovery().openRouterModels()).contains("https://openrouter.ai/api/v1/models");
        assertThat(config.discovery().refreshHours()).isEqualTo(24);
    }

    @Test
    void endpointsAreReadWithTheirKeysFromTheEnvironmentOrLeftAsVaultReferences() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, """
                speech:
                  maxAudioBytes: 1000000
                  transcription: {baseURL: 'https://api.example.com/v1/', apiKey: $AUDIO_KEY}
                  tts: {baseURL: 'http://127.0.0.1:8000/v1', model: kokoro, voice: af_bella, apiKey: '$VAULT:tts'}
                discovery: {ollamaBaseURL: 'http://10.0.0.5:11434', openRouterModelsURL: 'off', refreshHours: 2}
                """);
        ServerConfig config = ServerConfigFile.load(file, Map.of("AUDIO_KEY", "k-audio"));
        assertThat(config.speech().transcription()).isEqualTo(new ServerConfig.SpeechEndpoint(
                "https://api.example.com/v1", null, "k-audio", null));
        assertThat(config.speech().tts()).isEqualTo(new ServerConfig.SpeechEndpoint("http://127.0.0.1:8000/v1",
                "kokoro", "$VAULT:tts", "af_bella"));
        assertThat(config.speech().maxAudioBytes()).isEqualTo(1_000_000L);
        assertThat(config.discovery().openRouterModels()).isEmpty();
        assertThat(config.discovery().refreshHours()).isEqualTo(2);
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of())).hasMessageContaining("AUDIO_KEY");
    }

    @Test
    void badSectionsStopTheStartNamingTheKey() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, "speech:\n  tts: {model: tts-1}\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of())).hasMessageContaining("baseURL");
        Files.writeString(file, "speech:\n  transcription: {baseURL: 'ftp://x'}\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of())).hasMessageContaining("http or https");
        Files.writeString(file, "speech:\n  maxAudioBytes: 0\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of())).hasMessageContaining("maxAudioBytes");
        Files.writeString(file, "discovery:\n  ollamaBaseURL: nowhere\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of())).hasMessageContaining("ollamaBaseURL");
    }
}
