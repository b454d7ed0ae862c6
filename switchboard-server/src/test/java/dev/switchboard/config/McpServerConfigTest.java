package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void allowedHostsAndOriginsAreReadAndNormalised() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, """
                mcpServer:
                  allowedHosts: [Switchboard.LAN, "[fd00::1]"]
                  allowedOrigins: [https://App.example.com, http://localhost:5173]
                """);
        ServerConfig config = ServerConfigFile.load(file, Map.of());
        assertThat(config.mcpServer().allowedHosts()).containsExactly("switchboard.lan", "[fd00::1]");
        assertThat(config.mcpServer().allowedOrigins())
                .containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(ServerConfig.defaults().mcpServer().allowedHosts()).isEmpty();
        assertThat(config.withPort(0).mcpServer()).isEqualTo(config.mcpServer());
    }

    @Test
    void malformedEntriesAndUnknownKeysStopTheServerNamingTheKey() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, "mcpServer:\n  allowedHosts: [switchboard.lan:3210]\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("switchboard.yml:")
                .hasMessageContaining("allowedHosts");
        Files.writeString(file, "mcpServer:\n  allowedOrigins: [https://app.example.com/path]\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("allowedOrigins");
        Files.writeString(file, "mcpServer:\n  allowedHost: [x]\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("switchboard.yml:2:")
                .hasMessageContaining("'mcpServer.allowedHost': unknown key");
    }
}
