package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks over HTTP: triggers from runs, conditions, cooldown, the incoming webhook and its secret, the actions. */
class HookApiTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void scriptTheModel() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastUserMessageContains("deploy"), Reply.text("The deploy of api is summarized."));
        fake.on(Match.any(), Reply.text("Done."));
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    private TestServer server() throws Exception {
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        Files.writeString(home.resolve("switchboard.yml"), """
                tools:
                  httpRequest:
                    allowPrivate: [127.0.0.1]
                """);
        return TestServer.start(home);
    }

    @Test
    void aHookWithAConditionAndACooldownFiresOnceForTwoMatchingRuns() throws Exception {
        try (TestServer server = server()) {
            String once = created(server, Map.of("name", "first answer",
                    "trigger", Map.of("type", "agent_completed", "agentId", "default"),
                    "conditions", List.of(Map.of("field", "payload.finishReason", "operator", "equals",
                            "value", "stop"), Map.of("field", "sessionId", "operator", "in", "value",
                            List.of("s1", "s2"))),
                    "actions", List.of(Map.of("type", "notify", "title", "Answered in {{sessionId}}",
                            "message", "finish: {{payload.finishReason}}")),
                    "cooldownSeconds", 3600, "priority", 5));
            String never = created(server, Map.of("name", "cut off", "trigger", "agent_completed",
                    "conditions", List.of(Map.of("field", "payload.finishReason", "operator", "equals",
                            "value", "length")),
                    "actions", List.of(Map.of("type", "notify", "title", "Cut off"))));
            // without a cooldown: fires for every run, so its count says when both runs were handled
            String every = created(server, Map.of("name", "every run", "trigger", "agent_completed",
                    "actions", List.of(Map.of("type", "notify", "title", "Run done"))));

            for (String session : List.of("s1", "s2")) {
                assertThat(server.post("/api/message-sync", Map.of("sessionId", session, "content", "Hello"))
                        .status()).isEqualTo(200);
            }
            awaitExecutions(server, every, n -> n == 2);

            JsonNode onceRuns = server.get("/api/hooks/" + once + "/executions").json().path("executions");
            assertThat(onceRuns).hasSize(1);
            assertThat(onceRuns.get(0).path("status").asText()).isEqualTo("success");
            assertThat(onceRuns.get(0).path("trigger").asText()).isEqualTo("agent_completed");
            assertThat(onceRuns.get(0).path("payload").path("sessionId").asText()).isEqualTo("s1");
            assertThat(server.get("/api/hooks/" + once).json().path("hook").path("executionCount").asInt())
                    .isEqualTo(1);
            assertThat(server.get("/api/hooks/" + never + "/executions").json().path("executions")).isEmpty();

            JsonNode titles = server.get("/api/notifications?limit=100").json().path("notifications");
            assertThat(titles.findValuesAsText("title")).containsExactlyInAnyOrder("Answered in s1", "Run done",
                    "Run done");
            assertThat(titles.findValuesAsText("body")).contains("finish: stop");

            // disabled, it no longer fires
            assertThat(server.post("/api/hooks/" + every + "/disable", Map.of()).json().path("hook")
                    .path("enabled").asBoolean()).isFalse();
            server.post("/api/message-sync", Map.of("sessionId", "s3", "content", "Hello"));
            Thread.sleep(500);
            assertThat(server.get("/api/hooks/" + every + "/executions").json().path("executions")).hasSize(2);
        }
    }

    @Test
    void anIncomingHookNeedsItsSecretThenRunsItsActions() throws Exception {
        try (TestServer server = server(); Receiver receiver = new Receiver()) {
            String secret = TestSecrets.register("hook-secret-0123456789abcdef");
            TestServer.Reply made = server.post("/api/hooks", Map.of("name", "deploys",
                    "trigger", "webhook", "secret", secret,
                    "conditions", List.of(Map.of("field", "body.service", "operator", "matches", "value", "^api")),
                    "actions", List.of(
                            Map.of("type", "call_webhook", "url", receiver.url("/relay")),
                            Map.of("type", "run_agent", "prompt", "Summarize the deploy of {{body.service}}"),
                            Map.of("type", "notify", "title", "Deploy of {{body.service}}"))));
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            String id = made.json().path("hook").path("id").asText();
            assertThat(made.json().has("secret")).as("a secret the caller chose is not echoed").isFalse();
            assertThat(server.get("/api/hooks/" + id).body()).doesNotContain(secret);

            String path = "/api/hooks/incoming/" + id;
            Map<String, Object> body = Map.of("service", "api-gateway", "version", 7);
            assertThat(incoming(server, path, null, body).status()).isEqualTo(401);
            assertThat(incoming(server, path, "wrong-secret-0123456789", body).status()).isEqualTo(401);
            assertThat(incoming(server, "/api/hooks/incoming/hook_unknown", secret, body).status()).isEqualTo(401);
            assertThat(server.get("/api/hooks/" + id + "/executions").json().path("executions")).isEmpty();

            TestServer.Reply fired = incoming(server, path, secret, body);
            assertThat(fired.status()).as(fired.body()).isEqualTo(200);
            assertThat(fired.json().path("fired").asBoolean()).isTrue();
            assertThat(fired.json().path("status").asText()).isEqualTo("success");
            // a condition that fails: no firing
            assertThat(incoming(server, path, secret, Map.of("service", "billing")).json().path("fired")
                    .asBoolean()).isFalse();

            assertThat(receiver.await(1, 5_000)).isTrue();
            JsonNode relayed = TestServer.JSON.readTree(receiver.received.getFirst().body());
            assertThat(relayed.path("payload").path("body").path("service").asText()).isEqualTo("api-gateway");

            JsonNode execution = server.get("/api/hooks/" + id + "/executions").json().path("executions").get(0);
            assertThat(execution.path("results").findValuesAsText("type"))
                    .containsExactly("call_webhook", "run_agent", "notify");
            String sessionId = execution.path("results").get(1).path("sessionId").asText();
            assertThat(sessionId).isEqualTo("hook-" + id + "-default");
            // the agent's run is an ordinary one, in the hook's session
            long end = System.currentTimeMillis() + 15_000;
            String history = "";
            while (System.currentTimeMillis() < end && !history.contains("The deploy of api is summarized.")) {
                history = server.get("/api/sessions/" + sessionId + "/history").body();
                Thread.sleep(100);
            }
            assertThat(history).contains("Summarize the deploy of api-gateway", "The deploy of api is summarized.");
            assertThat(server.get("/api/notifications").json().path("notifications").findValuesAsText("title"))
                    .contains("Deploy of api-gateway");
        }
    }

    @Test
    void badHooksAreRefusedNamingTheField() throws Exception {
        try (TestServer server = server()) {
            Map<String, Object> notify = Map.of("type", "notify", "title", "x");
            assertRefused(server, Map.of("name", "h", "trigger", "on_full_moon", "actions", List.of(notify)),
                    "trigger");
            assertRefused(server, Map.of("name", "h", "trigger", Map.of("type", "on_full_moon"),
                    "actions", List.of(notify)), "trigger.type");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed", "actions", List.of(notify),
                    "conditions", List.of(Map.of("field", "x", "operator", "roughly", "value", 1))),
                    "conditions[0].operator");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed", "actions", List.of(notify),
                    "conditions", List.of(Map.of("field", "x", "operator", "matches", "value", "(unclosed"))),
                    "conditions[0].value");
            assertRefused(server, Map.of("name", "h", "trigger", Map.of("type", "schedule", "cron", "every day"),
                    "actions", List.of(notify)), "trigger.cron");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed", "actions", List.of()),
                    "actions");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed",
                    "actions", List.of(Map.of("type", "call_webhook", "url", "http://169.254.169.254/latest"))),
                    "actions[0].url");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed",
                    "actions", List.of(Map.of("type", "launch_rocket"))), "actions[0].type");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed", "actions", List.of(notify),
                    "cooldownSeconds", -1), "cooldownSeconds");
            assertRefused(server, Map.of("name", "h", "trigger", "agent_completed",
                    "actions", List.of(Map.of("type", "execute_tool", "tool", "no_such_tool"))), "actions[0].tool");
            assertThat(server.get("/api/hooks").json().path("hooks")).isEmpty();

            // without a secret of its own, an incoming hook gets one, shown once (not registered with TestSecrets:
            // this one answer carries it by design)
            TestServer.Reply generated = server.post("/api/hooks", Map.of("name", "in", "trigger", "webhook",
                    "actions", List.of(notify)));
            assertThat(generated.status()).as(generated.body()).isEqualTo(201);
            assertThat(generated.json().path("secret").asText()).startsWith("hks_").hasSizeGreaterThan(40);
            assertThat(generated.raw().headers().firstValue("cache-control")).contains("no-store");
            String generatedId = generated.json().path("hook").path("id").asText();
            assertThat(incoming(server, "/api/hooks/incoming/" + generatedId,
                    generated.json().path("secret").asText(), Map.of()).json().path("fired").asBoolean()).isTrue();
            assertThat(server.delete("/api/hooks/" + generatedId).status()).isEqualTo(200);

            TestServer.Reply scheduled = server.post("/api/hooks", Map.of("name", "nightly",
                    "trigger", Map.of("type", "schedule", "cron", "0 3 * * *"), "actions", List.of(notify)));
            assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(201);
            assertThat(scheduled.json().path("hook").path("trigger").path("cron").asText()).isEqualTo("0 3 * * *");
        }
    }

    private static void assertRefused(TestServer server, Map<String, Object> body, String field) {
        TestServer.Reply reply = server.post("/api/hooks", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
    }

    private static String created(TestServer server, Map<String, Object> body) {
        TestServer.Reply reply = server.post("/api/hooks", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().path("hook").path("id").asText();
    }

    static TestServer.Reply incoming(TestServer server, String path, String secret, Object body) {
        HttpRequest.Builder request = server.request(path, null).POST(TestServer.publisher(body));
        if (secret != null) {
            request.header("X-Hook-Secret", secret);
        }
        return server.send(request);
    }

    private static void awaitExecutions(TestServer server, String hookId, Predicate<Integer> done)
            throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        int count = 0;
        while (System.currentTimeMillis() < end) {
            count = server.get("/api/hooks/" + hookId + "/executions").json().path("executions").size();
            if (done.test(count)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("hook " + hookId + " has " + count + " executions");
    }
}
