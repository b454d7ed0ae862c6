package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasskeysConfigTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsServeTheLoopbackOriginsOfThePortTheServerListensOn() {
        ServerConfig.Passkeys passkeys = ServerConfig.defaults().passkeys();

        assertThat(passkeys.rpId()).isEqualTo("localhost");
        assertThat(passkeys.rpName()).isEqualTo("Switchboard");
        assertThat(passkeys.origins(4321)).containsExactly("http://localhost:4321", "http://127.0.0.1:4321");
        assertThat(passkeys.requireUserVerification()).isTrue();
        assertThat(passkeys.timeoutSeconds()).isEqualTo(300);
    }

    @Test
    void aRelyingPartyIsReadAndNormalised() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, """
                passkeys:
                  rpId: Switchboard.Example.com
                  rpName: Team agents
                  allowedOrigins: [https://switchboard.example.com, https://App.Switchboard.example.com:8443]
                  userVerification: preferred
                  timeoutSeconds: 120
                """);
        ServerConfig.Passkeys passkeys = ServerConfigFile.load(file, Map.of()).passkeys();

        assertThat(passkeys.rpId()).isEqualTo("switchboard.example.com");
        assertThat(passkeys.rpName()).isEqualTo("Team agents");
        assertThat(passkeys.origins(3210))
                .containsExactly("https://switchboard.example.com", "https://app.switchboard.example.com:8443");
        assertThat(passkeys.requireUserVerification()).isFalse();
        assertThat(passkeys.timeoutSeconds()).isEqualTo(120);
    }

    @Test
    void mistakesStopTheServerNamingTheKey() throws Exception {
        assertRefused("rpId: https://example.com", "passkeys.rpId", "domain name");
        assertRefused("rpId: example.com:443", "passkeys.rpId", "domain name");
        assertRefused("rpName: ''", "passkeys.rpName", "1 to 100");
        assertRefused("allowedOrigins: []", "passkeys.allowedOrigins", "at least one");
        assertRefused("allowedOrigins: [https://example.com/login]", "passkeys.allowedOrigins", "origins such as");
        assertRefused("{rpId: example.com, allowedOrigins: [http://example.com]}", "passkeys.allowedOrigins",
                "https");
        assertRefused("{rpId: example.com, allowedOrigins: [https://example.com.evil.net]}",
                "passkeys.allowedOrigins", "subdomain");
        assertRefused("{rpId: example.com, allowedOrigins: [https://badexample.com]}", "passkeys.allowedOrigins",
                "subdomain");
        assertRefused("userVerification: discouraged", "passkeys.userVerification", "required");
        assertRefused("timeoutSeconds: 0", "passkeys.timeoutSeconds", "greater than 0");
        assertRefused("timeoutSeconds: 7200", "passkeys.timeoutSeconds", "3600");
        assertRefused("rpID: example.com", "passkeys.rpID", "unknown key");
    }

    @Test
    void loopbackOriginsMayUsePlainHttp() {
        ServerConfig.Passkeys passkeys = new ServerConfig.Passkeys(null, null,
                List.of("http://localhost:5173", "http://127.0.0.1:3210", "https://localhost"), null, null);
        assertThat(passkeys.origins(1)).hasSize(3);
    }

    private void assertRefused(String section, String key, String problem) throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, "passkeys: " + (section.startsWith("{") ? section : "\n  " + section) + "\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .as(section)
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(problem);
    }
}
