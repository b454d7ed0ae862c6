package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    @TempDir
    Path home;

    @Test
    void reattachingWithLastEventIdReplaysTheMissedEvents() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("one two three four"));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                List<JsonNode> seen;
                try (TestServer.SseReader first = server.streamMessage("re", "count")) {
                    seen = first.readUntil(named("run:complete"));
                }
                assertThat(seen.size()).isGreaterThan(4);
                // the client saw only the first two events, then lost its connection
                String lastSeen = seen.get(1).path("_id").asText();
                List<JsonNode> replayed;
                try (TestServer.SseReader again = server.stream(server.request("/api/sessions/re/events")
                        .header("Last-Event-ID", lastSeen).GET())) {
                    assertThat(again.status()).isEqualTo(200);
                    replayed = again.readUntil(named("run:complete"));
                }
                assertThat(replayed).extracting(e -> e.path("seq").asLong())
                        .containsExactlyElementsOf(seen.subList(2, seen.size()).stream()
                                .map(e -> e.path("seq").asLong()).toList());
                assertThat(TestServer.names(replayed)).isEqualTo(TestServer.names(seen.subList(2, seen.size())));

                // ?after= does the same, and live events follow the replay on the same stream
                try (TestServer.SseReader live = server.stream(server.request("/api/sessions/re/events?after="
                        + seen.getLast().path("seq").asLong()).GET())) {
                    server.post("/api/message", Map.of("sessionId", "re", "content", "more"));
                    List<JsonNode> next = live.readUntil(named("run:complete"));
                    assertThat(next.getFirst().path("seq").asLong()).isGreaterThan(seen.getLast().path("seq").asLong());
                    assertThat(next.getFirst().path("name").asText()).isEqualTo("run:started");
                }
            }
        }
    }
}
