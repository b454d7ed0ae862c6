package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server on PostgreSQL (127.0.0.1:5432, database test), in a schema of its own. */
class PostgresServerTest {

    private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path home;

    String schema = "sb_server_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void createSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null)) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void runsQueuesAndRestartsWorkOnPostgres() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), """
                database:
                  url: %s?currentSchema=%s
                  user: postgres
                """.formatted(DATABASE, schema));
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastMessageIsToolResult(), Reply.text("Done on PostgreSQL."));
            fake.on(Match.lastUserMessageContains("time"), Reply.toolCall("current_time", "{}"));
            fake.on(Match.lastUserMessageContains("hang"), Reply.text("never").hang());
            fake.otherwise(Reply.text("resumed"));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                try (TestServer.SseReader sse = server.streamMessage("pg", "what time is it?")) {
                    assertThat(AgentRunTest.collapsed(sse.readUntil(named("run:complete"))))
                            .contains("llm:tool-call", "llm:tool-result", "run:complete");
                }
                assertThat(QueueAndCancelTest.contents(server.get("/api/sessions/pg/history").json()))
                        .containsExactly("what time is it?", "Done on PostgreSQL.");

                server.post("/api/message", Map.of("sessionId", "pg", "content", "hang please"));
                fake.awaitRequests(3, Duration.ofSeconds(10));
                server.post("/api/message", Map.of("sessionId", "pg", "content", "after restart"));
                server.restart();

                await(() -> server.get("/api/sessions/pg/runs").json().path("runs").path(2).path("status").asText()
                        .equals("completed"));
                var runs = server.get("/api/sessions/pg/runs").json().path("runs");
                assertThat(runs.get(0).path("status").asText()).isEqualTo("completed");
                assertThat(runs.get(1).path("status").asText()).isEqualTo("interrupted");
                assertThat(QueueAndCancelTest.contents(server.get("/api/sessions/pg/history").json()))
                        .endsWith("hang please", "after restart", "resumed");
            }
        }
    }
}
