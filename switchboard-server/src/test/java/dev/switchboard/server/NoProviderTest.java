package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoProviderTest {

    @TempDir
    Path home;

    @Test
    void theServerStartsAndAMessageSaysWhatToConfigure() {
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.get("/health").status()).isEqualTo(200);
            for (String path : new String[] {"/api/message", "/api/message-sync", "/api/message-stream"}) {
                TestServer.Reply reply = server.post(path, Map.of("sessionId", "s", "content", "hello"));
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.json().path("error").path("code").asText()).isEqualTo("not_configured");
                assertThat(reply.json().path("error").path("message").asText())
                        .contains("OPENAI_API_KEY").contains("ANTHROPIC_API_KEY");
            }
            assertThat(server.get("/api/sessions/s/history").json().path("history")).isEmpty();
        }
    }
}
