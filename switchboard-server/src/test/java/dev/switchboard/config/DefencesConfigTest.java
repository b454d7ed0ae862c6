package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefencesConfigTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsLimitRatesAndAllowNoOrigin() {
        ServerConfig config = ServerConfig.defaults();
        assertThat(config.rateLimits()).isEqualTo(new ServerConfig.RateLimits(600, 1200, 10, 5, false));
        assertThat(config.http().cors().allowedOrigins()).isEmpty();
        assertThat(config.http().cors().allowCredentials()).isFalse();
    }

    @Test
    void rateLimitsAndOriginsAreReadAndNormalised() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, """
                rateLimits:
                  perIpPerMinute: 0
                  perCredentialPerMinute: 50
                  trustForwardedFor: true
                http:
                  cors:
                    allowedOrigins: [https://App.example.com:443, http://localhost:80, http://localhost:5173]
                    allowCredentials: true
                    maxAgeSeconds: 60
                """);
        ServerConfig config = ServerConfigFile.load(file, Map.of());

        assertThat(config.rateLimits()).isEqualTo(new ServerConfig.RateLimits(0, 50, 10, 5, true));
        assertThat(config.http().cors().allowedOrigins())
                .containsExactly("https://app.example.com", "http://localhost", "http://localhost:5173");
        assertThat(config.http().cors().allowCredentials()).isTrue();
        assertThat(config.withPort(0).http()).isEqualTo(config.http());
        assertThat(config.withPort(0).rateLimits()).isEqualTo(config.rateLimits());
    }

    @Test
    void badValuesStopTheServerNamingTheKey() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, "rateLimits:\n  perIpPerMinute: -1\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("rateLimits.perIpPerMinute")
                .hasMessageContaining("0 (no limit) or more");

        Files.writeString(file, "http:\n  cors:\n    allowedOrigins: ['https://ok.example', '*']\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("http.cors.allowedOrigins")
                .hasMessageContaining("'*' is refused");

        Files.writeString(file, "http:\n  cors:\n    allowedOrigins: ['https://app.example.com/']\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("allowedOrigins");

        Files.writeString(file, "http:\n  cors:\n    allowedOrigin: [x]\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("unknown key");
    }
}
