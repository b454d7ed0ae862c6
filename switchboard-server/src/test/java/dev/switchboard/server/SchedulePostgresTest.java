package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Switchboard nodes on one PostgreSQL database (127.0.0.1:5432, database test), in a schema of their own. */
class SchedulePostgresTest {

    private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path homes;

    String schema = "sb_schedules_" + UUID.randomUUID().toString().replace("-", "");

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
    void twoNodesOnOneDatabaseFireEachTickExactlyOnce() throws Exception {
        ManualClock clock = new ManualClock(ScheduleApiTest.MONDAY_8AM);
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        // one cluster: the same database and the same vault key on both nodes
        Map<String, String> env = Map.of("SWITCHBOARD_MASTER_KEY", Base64.getEncoder().encodeToString(key));
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("Tick handled."));
            Path a = node("a", fake);
            Path b = node("b", fake);
            try (TestServer first = ScheduleApiTest.start(a, clock, env);
                    TestServer second = ScheduleApiTest.start(b, clock, env)) {
                TestServer.Reply created = first.post("/v1/loops", Map.of("name", "Every minute",
                        "prompt", "Handle the tick", "intervalMinutes", 1));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                String id = created.json().path("loop").path("id").asText();
                // the other node sees the same schedule
                assertThat(second.get("/api/schedules/" + id).status()).isEqualTo(200);

                for (int tick = 1; tick <= 3; tick++) {
                    clock.advance(Duration.ofMinutes(1));
                    int expected = tick;
                    await(() -> runCount(second, id) == expected);
                    // both nodes poll every 50 ms: give the other one many chances to take the tick again
                    Thread.sleep(400);
                    assertThat(runCount(first, id)).isEqualTo(tick);
                    assertThat(fake.requests()).hasSize(tick);
                }
                assertThat(sessionsNamedAfterSchedules()).isEqualTo(3);

                // a recurring job registered by key on both nodes, as hooks with a schedule trigger do
                java.util.concurrent.atomic.AtomicInteger onFirst = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicInteger onSecond = new java.util.concurrent.atomic.AtomicInteger();
                first.switchboard().scheduler().recurring("hook:nightly", "*/5 * * * *", java.time.ZoneOffset.UTC,
                        onFirst::incrementAndGet);
                second.switchboard().scheduler().recurring("hook:nightly", "*/5 * * * *", java.time.ZoneOffset.UTC,
                        onSecond::incrementAndGet);
                for (int tick = 1; tick <= 2; tick++) {
                    clock.advance(Duration.ofMinutes(5));
                    int expected = tick;
                    await(() -> onFirst.get() + onSecond.get() == expected);
                    Thread.sleep(400);
                    assertThat(onFirst.get() + onSecond.get()).isEqualTo(tick);
                }
                first.switchboard().scheduler().cancel("hook:nightly");
                clock.advance(Duration.ofMinutes(5));
                Thread.sleep(400);
                assertThat(onFirst.get() + onSecond.get()).isEqualTo(2);
                // one planned firing in the shared table, whichever node ran each tick
                assertThat(plannedFirings()).isEqualTo(1);
            }
        }
    }

    private Path node(String name, FakeLlmServer fake) throws Exception {
        Path home = Files.createDirectories(homes.resolve(name));
        Files.writeString(home.resolve("switchboard.yml"), """
                database:
                  url: %s?currentSchema=%s
                  user: postgres
                """.formatted(DATABASE, schema));
        return TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
    }

    private static int runCount(TestServer server, String id) {
        JsonNode schedule = server.get("/api/schedules/" + id).json().path("schedule");
        return schedule.path("runCount").asInt();
    }

    private int sessionsNamedAfterSchedules() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE + "?currentSchema=" + schema, "postgres", null);
                ResultSet rows = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM sessions WHERE title = 'Schedule: Every minute'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private int plannedFirings() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE + "?currentSchema=" + schema, "postgres", null);
                ResultSet rows = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'schedule'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
