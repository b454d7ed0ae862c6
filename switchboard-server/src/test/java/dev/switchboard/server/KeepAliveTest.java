package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepAliveTest {

    @TempDir
    Path home;

    @Test
    void aQuietStreamGetsKeepAliveComments() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), "limits:\n  keepAliveSeconds: 1\n");
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/sessions", Map.of("sessionId", "quiet"));
            HttpResponse<InputStream> response = server.http.send(
                    server.request("/api/sessions/quiet/events").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                long started = System.nanoTime();
                String line;
                do {
                    line = lines.readLine();
                } while (line != null && !line.equals(": keep-alive"));
                long waitedMs = (System.nanoTime() - started) / 1_000_000;
                assertThat(line).isEqualTo(": keep-alive");
                assertThat(waitedMs).isBetween(500L, 3000L);
            }
        }
    }
}
