package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules through their three faces on SQLite, with the server's clock in the test's hand. */
class ScheduleApiTest {

    static final Instant MONDAY_8AM = Instant.parse("2026-01-05T08:00:00Z");

    @TempDir
    Path home;

    FakeLlmServer fake;
    ManualClock clock = new ManualClock(MONDAY_8AM);
    TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        // a run that lasts until the test cancels it
        fake.on(Match.lastUserMessageContains("slow"), Reply.text("never").hang());
        fake.otherwise(Reply.text("Good morning from the schedule."));
        server = start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()), clock, Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    /** A server on {@code home} reading the time from {@code clock}, polling for due schedules every 50 ms. */
    static TestServer start(Path home, java.time.Clock clock, Map<String, String> extraEnv) {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("SWITCHBOARD_API_KEY", TestServer.KEY);
        env.put("SWITCHBOARD_SCHEDULER_POLL_MS", "50");
        Home h = new Home(home);
        h.initialize();
        ServerConfig config = ServerConfigFile.load(h.configFile(), env).withHost("127.0.0.1").withPort(0);
        return TestServer.attach(Switchboard.start(h, config, env, new PrintStream(OutputStream.nullOutputStream()),
                clock));
    }

    @Test
    void aCronScheduleFiresWhenTheClockReachesItsTick() throws Exception {
        TestServer.Reply created = server.post("/api/schedules", Map.of("name", "Morning report",
                "prompt", "Say good morning", "cron", "0 9 * * *", "timezone", "UTC"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode schedule = created.json().path("schedule");
        String id = schedule.path("id").asText();
        assertThat(schedule.path("nextRunAt").asLong()).isEqualTo(Instant.parse("2026-01-05T09:00:00Z").toEpochMilli());

        // an hour early nothing fires, however long the pollers look
        Thread.sleep(300);
        assertThat(fake.requests()).isEmpty();

        clock.advance(Duration.ofMinutes(60));
        await(() -> "completed".equals(get(id).path("lastResult").path("status").asText()));
        JsonNode fired = get(id);
        assertThat(fired.path("runCount").asInt()).isEqualTo(1);
        assertThat(fired.path("lastResult").path("text").asText()).isEqualTo("Good morning from the schedule.");
        assertThat(fired.path("nextRunAt").asLong()).isEqualTo(Instant.parse("2026-01-06T09:00:00Z").toEpochMilli());
        String sessionId = fired.path("lastResult").path("sessionId").asText();
        // an ordinary run in a session the schedule owns, marked with the schedule's name
        assertThat(QueueAndCancelTest.contents(server.get("/api/sessions/" + sessionId + "/history").json()))
                .containsExactly("Say good morning", "Good morning from the schedule.");
        JsonNode session = server.get("/api/sessions/" + sessionId).json();
        assertThat(session.toString()).contains("Schedule: Morning report");
        assertThat(server.get("/api/sessions/" + sessionId + "/runs").json().path("runs").get(0).path("status")
                .asText()).isEqualTo("completed");
        assertThat(fake.requests()).hasSize(1);
        // the owner hears of the result through a notification naming the schedule and its session
        JsonNode notice = server.get("/api/notifications").json().path("notifications").get(0);
        assertThat(notice.path("type").asText()).isEqualTo("schedule");
        assertThat(notice.path("title").asText()).isEqualTo("Schedule 'Morning report' completed");
        assertThat(notice.path("body").asText()).isEqualTo("Good morning from the schedule.");
        assertThat(notice.path("data").path("sessionId").asText()).isEqualTo(sessionId);
    }

    @Test
    void aHookWithAScheduleTriggerFiresOnItsTickOnTheSameScheduler() throws Exception {
        TestServer.Reply created = server.post("/api/hooks", Map.of("name", "Nine o'clock",
                "trigger", Map.of("type", "schedule", "cron", "0 9 * * *"),
                "actions", List.of(Map.of("type", "notify", "title", "It is {{event}} time"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String hookId = created.json().path("hook").path("id").asText();
        Thread.sleep(300);
        assertThat(server.get("/api/hooks/" + hookId + "/executions").json().path("executions")).isEmpty();

        clock.advance(Duration.ofMinutes(60));
        await(() -> server.get("/api/hooks/" + hookId + "/executions").json().path("executions").size() == 1);
        JsonNode execution = server.get("/api/hooks/" + hookId + "/executions").json().path("executions").get(0);
        assertThat(execution.path("trigger").asText()).isEqualTo("schedule");
        assertThat(execution.path("status").asText()).isEqualTo("success");
        assertThat(server.get("/api/notifications").json().path("notifications").findValuesAsText("title"))
                .contains("It is schedule time");

        // a disabled hook's job is cancelled: the next day's tick passes without a firing
        assertThat(server.post("/api/hooks/" + hookId + "/disable", Map.of()).status()).isEqualTo(200);
        clock.advance(Duration.ofDays(1));
        Thread.sleep(500);
        assertThat(server.get("/api/hooks/" + hookId + "/executions").json().path("executions")).hasSize(1);
    }

    @Test
    void aLoopRunsNowAndItsConversationHoldsTheAnswer() throws Exception {
        TestServer.Reply created = server.post("/v1/loops", Map.of("name", "Weather", "prompt", "Report the weather",
                "intervalMinutes", 60, "continueInSession", true, "maxIterations", 3, "profileId", "default"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode loop = created.json().path("loop");
        assertThat(loop.path("intervalMinutes").asInt()).isEqualTo(60);
        assertThat(loop.path("profileId").asText()).isEqualTo("default");
        String id = loop.path("id").asText();
        String sessionId = loop.path("sessionId").asText();

        TestServer.Reply run = server.post("/v1/loops/" + id + "/run", Map.of());
        assertThat(run.status()).as(run.body()).isEqualTo(202);
        await(() -> loop(id).path("runCount").asInt() == 1);
        assertThat(loop(id).path("lastResult").path("sessionId").asText()).isEqualTo(sessionId);
        assertThat(QueueAndCancelTest.contents(server.get("/api/sessions/" + sessionId + "/history").json()))
                .containsExactly("Report the weather", "Good morning from the schedule.");

        // the same session continues on the next run
        assertThat(server.post("/v1/loops/" + id + "/run", Map.of()).status()).isEqualTo(202);
        await(() -> loop(id).path("runCount").asInt() == 2);
        assertThat(QueueAndCancelTest.contents(server.get("/api/sessions/" + sessionId + "/history").json()))
                .hasSize(4);
    }

    @Test
    void runWhileRunningIsAConflict() throws Exception {
        JsonNode created = server.post("/v1/loops", Map.of("name", "Slow", "prompt", "a slow report",
                "intervalMinutes", 5, "continueInSession", true)).json().path("loop");
        String id = created.path("id").asText();
        assertThat(server.post("/v1/loops/" + id + "/run", Map.of()).status()).isEqualTo(202);
        await(() -> loop(id).path("isRunning").asBoolean());
        TestServer.Reply again = server.post("/v1/loops/" + id + "/run", Map.of());
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(server.post("/api/schedules/" + id + "/trigger", Map.of()).status()).isEqualTo(409);

        // the run is an ordinary run of the loop's session: cancelling the session ends it
        fake.awaitRequests(1, Duration.ofSeconds(15));
        assertThat(server.post("/api/sessions/" + created.path("sessionId").asText() + "/cancel", Map.of()).status())
                .isEqualTo(200);
        await(() -> loop(id).path("runCount").asInt() == 1);
        assertThat(loop(id).path("isRunning").asBoolean()).isFalse();
        assertThat(loop(id).path("lastResult").path("status").asText()).isEqualTo("cancelled");
        assertThat(fake.requests()).hasSize(1);
        // and it can run again, in the same session
        assertThat(server.post("/v1/loops/" + id + "/run", Map.of()).status()).isEqualTo(202);
        fake.awaitRequests(2, Duration.ofSeconds(15));
        server.post("/api/sessions/" + created.path("sessionId").asText() + "/cancel", Map.of());
        await(() -> loop(id).path("runCount").asInt() == 2);
    }

    @Test
    void aTickThatComesWhileTheRunIsGoingIsSkippedAndRecorded() throws Exception {
        JsonNode created = server.post("/api/schedules", Map.of("name", "Slow minute", "prompt", "slow minute",
                "intervalMinutes", 1, "sameSession", true)).json().path("schedule");
        String id = created.path("id").asText();
        clock.advance(Duration.ofMinutes(1));
        await(() -> get(id).path("isRunning").asBoolean());
        // two more ticks pass while the first run is still going: they are not made up
        clock.advance(Duration.ofSeconds(150));
        fake.awaitRequests(1, Duration.ofSeconds(15));
        server.post("/api/sessions/" + created.path("sessionId").asText() + "/cancel", Map.of());
        await(() -> get(id).path("runCount").asInt() == 1);
        Thread.sleep(300);
        JsonNode schedule = get(id);
        assertThat(schedule.path("runCount").asInt()).isEqualTo(1);
        assertThat(schedule.path("lastResult").path("skippedTicks").asInt()).isEqualTo(2);
        assertThat(schedule.path("nextRunAt").asLong())
                .isEqualTo(MONDAY_8AM.plus(Duration.ofMinutes(4)).toEpochMilli());
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void disabledSchedulesDoNotFireAndScheduledTasksBelongToTheirAgent() throws Exception {
        TestServer.Reply task = server.post("/api/agents/default/scheduled-tasks", Map.of("name", "Weekly digest",
                "prompt", "Write the digest", "times", List.of("07:30"), "days", List.of("monday", "fri"),
                "timezone", "Europe/Paris"));
        assertThat(task.status()).as(task.body()).isEqualTo(201);
        String id = task.json().path("task").path("id").asText();
        assertThat(task.json().path("task").path("kind").asText()).isEqualTo("weekly");
        // 07:30 in Paris on Monday 5 January is 06:30 UTC, already past at 08:00: the next is Friday
        assertThat(task.json().path("task").path("nextRunAt").asLong())
                .isEqualTo(Instant.parse("2026-01-09T06:30:00Z").toEpochMilli());
        assertThat(server.get("/api/agents/default/scheduled-tasks").json().path("tasks")).hasSize(1);
        assertThat(server.get("/api/schedules").json().path("schedules")).hasSize(1);

        TestServer.Reply off = server.patch("/api/schedules/" + id, Map.of("enabled", false));
        assertThat(off.json().path("schedule").path("nextRunAt").isNull()).isTrue();
        clock.advance(Duration.ofDays(5));
        Thread.sleep(300);
        assertThat(fake.requests()).isEmpty();

        TestServer.Reply toggled = server.post("/v1/loops/" + id + "/toggle", Map.of());
        assertThat(toggled.json().path("loop").path("enabled").asBoolean()).isTrue();
        assertThat(server.delete("/api/scheduled-tasks/" + id).status()).isEqualTo(200);
        assertThat(server.get("/api/schedules/" + id).status()).isEqualTo(404);
        assertThat(server.get("/api/agents/nobody/scheduled-tasks").status()).isEqualTo(404);
    }

    @Test
    void runsMissedWhileDownFireOnceAndRunOnStartupFiresAtStart() throws Exception {
        String hourly = server.post("/api/schedules", Map.of("name", "Hourly", "prompt", "Hourly check",
                "intervalMinutes", 60)).json().path("schedule").path("id").asText();
        String yearly = server.post("/v1/loops", Map.of("name", "At start", "prompt", "Start-up check",
                "cron", "0 0 1 1 *", "runOnStartup", true)).json().path("loop").path("id").asText();
        server.close();
        // down from 08:00 to 13:00: the ticks of 09:00 to 13:00 are missed
        clock.advance(Duration.ofHours(5));
        server = start(home, clock, Map.of());

        await(() -> get(hourly).path("runCount").asInt() == 1 && get(yearly).path("runCount").asInt() == 1);
        Thread.sleep(300);
        assertThat(fake.requests()).hasSize(2);
        JsonNode caughtUp = get(hourly);
        assertThat(caughtUp.path("runCount").asInt()).isEqualTo(1);
        assertThat(caughtUp.path("lastResult").path("skippedTicks").asInt()).isEqualTo(4);
        assertThat(caughtUp.path("nextRunAt").asLong()).isEqualTo(Instant.parse("2026-01-05T14:00:00Z").toEpochMilli());
        assertThat(get(yearly).path("nextRunAt").asLong())
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void badInputNamesTheField() {
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "61 * * * *")), "cron");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "every day")), "cron");
        assertField(server.post("/api/agents/default/scheduled-tasks", Map.of("prompt", "x", "cron", "* *")), "cron");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 0)), "intervalMinutes");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", "ten")), "intervalMinutes");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 5, "profileId", "ghost")),
                "profileId");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "agentId", "ghost")),
                "agentId");
        assertField(server.post("/api/schedules", Map.of("prompt", "x")), "cron");
        assertField(server.post("/api/schedules", Map.of("cron", "0 9 * * *")), "prompt");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "timezone", "Mars/Base")),
                "timezone");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "times", List.of("25:00"))), "times[0]");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "times", List.of("09:00"),
                "days", List.of("someday"))), "days[0]");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "intervalMinutes", 5)),
                "cron");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 5, "maxIterations", 0)),
                "maxIterations");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 5, "colour", "red")), "colour");
        // nothing was stored by any of them
        assertThat(server.get("/api/schedules").json().path("schedules")).isEmpty();
    }

    private static void assertField(TestServer.Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
    }

    private JsonNode get(String id) {
        return server.get("/api/schedules/" + id).json().path("schedule");
    }

    private JsonNode loop(String id) {
        for (JsonNode loop : server.get("/v1/loops").json().path("loops")) {
            if (loop.path("id").asText().equals(id)) {
                return loop;
            }
        }
        throw new AssertionError("no loop " + id);
    }
}
