package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines end to end: templates, foreach plans, pause, plan edits, rewinds, approval gates and restarts. */
class PipelinesTest {

    @TempDir
    Path home;

    @Test
    void aForeachPlanIsPausedEditedResumedAndRewoundToACheckpoint() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("Plan the essay"),
                    Reply.text("Here is the plan:\n- alpha\n- beta\n- gamma"));
            fake.on(Match.lastUserMessageContains("Write about beta"), Reply.text("never").hang().times(1));
            for (String item : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
                fake.on(Match.lastUserMessageContains("Write about " + item), Reply.text("Text on " + item));
            }
            fake.on(Match.lastUserMessageContains("EDITED"), Reply.text("Summary of the edited texts"));
            fake.on(Match.lastUserMessageContains("Summarize"), Reply.text("Summary of the texts"));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                TestServer.Reply template = server.post("/api/pipelines/templates", Map.of(
                        "name", "Essay", "description", "Plans, writes each part, summarizes",
                        "steps", List.of(
                                Map.of("id", "plan", "prompt", "Plan the essay on {{input.topic}} as a list."),
                                Map.of("id", "write", "foreach", "steps.plan", "tools", List.of("current_time"),
                                        "prompt", "Write about {{item}} (part {{index}})", "retries", 1),
                                Map.of("id", "summary", "prompt", "Summarize:\n{{steps.write.output}}"))));
                assertThat(template.status()).as(template.body()).isEqualTo(201);
                String templateId = template.json().path("template").path("id").asText();

                TestServer.Reply started = server.post("/api/pipelines", Map.of("templateId", templateId,
                        "inputs", Map.of("topic", "bees")));
                assertThat(started.status()).as(started.body()).isEqualTo(201);
                String id = started.json().path("pipeline").path("id").asText();
                String path = "/api/pipelines/" + id;

                await(() -> asked(fake, "Write about beta"));
                JsonNode running = server.get(path).json().path("pipeline");
                assertThat(running.path("status").asText()).isEqualTo("running");
                assertThat(running.path("currentStep").asText()).isEqualTo("write");
                JsonNode plan = running.path("stages").get(1).path("plan");
                assertThat(plan.findValuesAsText("text")).containsExactly("alpha", "beta", "gamma");
                assertThat(plan.get(0).path("output").asText()).isEqualTo("Text on alpha");
                assertThat(plan.get(1).path("status").asText()).isEqualTo("running");
                String firstCheckpoint = running.path("checkpoints").get(0).path("id").asText();
                TestServer.Reply whileRunning = server.patch(path + "/checkpoints/" + firstCheckpoint,
                        Map.of("outputs", Map.of("plan", "- x")));
                assertThat(whileRunning.status()).as(whileRunning.body()).isEqualTo(409);

                TestServer.Reply paused = server.post(path + "/pause", Map.of());
                assertThat(paused.status()).as(paused.body()).isEqualTo(200);
                assertThat(paused.json().path("pipeline").path("status").asText()).isEqualTo("paused");
                assertThat(paused.json().path("pipeline").path("stages").get(1).path("plan").get(1).path("status")
                        .asText()).isEqualTo("pending");

                TestServer.Reply edited = server.as(TestServer.KEY).put(path + "/plans/write",
                        Map.of("items", List.of("delta", "epsilon")));
                assertThat(edited.status()).as(edited.body()).isEqualTo(200);
                assertThat(edited.json().path("pipeline").path("stages").get(1).path("plan").findValuesAsText("text"))
                        .containsExactly("alpha", "delta", "epsilon");

                assertThat(server.post(path + "/resume", Map.of()).status()).isEqualTo(200);
                await(() -> server.get(path).json().path("pipeline").path("status").asText().equals("completed"));
                JsonNode done = server.get(path).json().path("pipeline");
                String written = done.path("stages").get(1).path("output").asText();
                assertThat(written).contains("Text on alpha", "Text on delta", "Text on epsilon")
                        .doesNotContain("beta", "gamma");
                assertThat(done.path("stages").get(2).path("output").asText()).isEqualTo("Summary of the texts");
                assertThat(asked(fake, "Write about gamma")).isFalse();
                // the summary step's prompt was filled from the foreach step's output, in its own session
                String summarySession = done.path("stages").get(2).path("sessionIds").get(0).asText();
                assertThat(server.get("/api/sessions/" + summarySession + "/history").body())
                        .contains("Text on delta", "Summary of the texts");

                List<String> labels = done.path("checkpoints").findValuesAsText("label");
                assertThat(labels.getFirst()).isEqualTo("before step 'plan'");
                assertThat(labels.getLast()).isEqualTo("completed");
                JsonNode beforeSummary = checkpoint(done, "before step 'summary'");
                int seq = beforeSummary.path("seq").asInt();

                TestServer.Reply changed = server.patch(path + "/checkpoints/" + beforeSummary.path("id").asText(),
                        Map.of("outputs", Map.of("write", "EDITED texts")));
                assertThat(changed.status()).as(changed.body()).isEqualTo(200);
                TestServer.Reply rewound = server.post(path + "/resume",
                        Map.of("checkpointId", beforeSummary.path("id").asText()));
                assertThat(rewound.status()).as(rewound.body()).isEqualTo(200);
                await(() -> server.get(path).json().path("pipeline").path("status").asText().equals("completed"));
                JsonNode again = server.get(path).json().path("pipeline");
                assertThat(again.path("stages").get(1).path("output").asText()).isEqualTo("EDITED texts");
                assertThat(again.path("stages").get(2).path("output").asText()).isEqualTo("Summary of the edited texts");
                assertThat(again.path("checkpoints")).hasSize(seq + 1);
                assertThat(again.path("checkpoints").findValuesAsText("label").getLast()).isEqualTo("completed");
                assertThat(server.get("/api/pipelines").json().path("pipelines").findValuesAsText("id")).contains(id);

                // a finished plan cannot change, and an unknown step is 404
                assertThat(server.as(TestServer.KEY).put(path + "/plans/write", Map.of("items", List.of("x")))
                        .status()).isEqualTo(409);
                assertThat(server.as(TestServer.KEY).put(path + "/plans/nope", Map.of("items", List.of("x")))
                        .status()).isEqualTo(404);
            }
        }
    }

    @Test
    void aRestartMidPipelineResumesFromTheLastCheckpoint() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("First step"), Reply.text("one"));
            fake.on(Match.lastUserMessageContains("Second step"), Reply.text("never").hang().times(1));
            fake.on(Match.lastUserMessageContains("Second step after one"), Reply.text("two"));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                String templateId = server.post("/api/pipelines/templates", Map.of("name", "Two steps",
                        "steps", List.of(Map.of("id", "first", "prompt", "First step"),
                                Map.of("id", "second", "prompt", "Second step after {{steps.first.output}}"))))
                        .json().path("template").path("id").asText();
                String id = server.post("/api/pipelines", Map.of("templateId", templateId)).json().path("pipeline")
                        .path("id").asText();
                String path = "/api/pipelines/" + id;
                await(() -> asked(fake, "Second step"));
                assertThat(server.get(path).json().path("pipeline").path("checkpoints").findValuesAsText("label"))
                        .containsExactly("before step 'first'", "before step 'second'");

                server.restart();

                await(() -> server.get(path).json().path("pipeline").path("status").asText().equals("completed"));
                JsonNode done = server.get(path).json().path("pipeline");
                assertThat(done.path("stages").get(1).path("output").asText()).isEqualTo("two");
                // the second step ran again in a new session; the first was not repeated
                assertThat(done.path("stages").get(1).path("sessionIds")).hasSize(2);
                assertThat(done.path("stages").get(0).path("sessionIds")).hasSize(1);
                assertThat(fake.requests().stream().filter(r -> lastUserText(r).contains("First step")).count())
                        .isEqualTo(1);
                assertThat(done.path("checkpoints").findValuesAsText("label"))
                        .containsExactly("before step 'first'", "before step 'second'", "completed");
            }
        }
    }

    @Test
    void anApprovalGateWaitsForAPersonAndARefusalStopsTheRun() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("done"));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                String templateId = server.post("/api/pipelines/templates", Map.of("name", "Gated",
                        "steps", List.of(Map.of("id", "draft", "prompt", "Draft it", "tools", List.of()),
                                Map.of("id", "publish", "prompt", "Publish {{steps.draft.output}}",
                                        "approval", true)))).json().path("template").path("id").asText();
                for (boolean approved : List.of(true, false)) {
                    String id = server.post("/api/pipelines", Map.of("templateId", templateId)).json()
                            .path("pipeline").path("id").asText();
                    String path = "/api/pipelines/" + id;
                    await(() -> server.get(path).json().path("pipeline").path("status").asText()
                            .equals("awaiting_approval"));
                    assertThat(server.get(path).json().path("pipeline").path("stages").get(1).path("status").asText())
                            .isEqualTo("pending");
                    // the owner is asked through a notification naming the run and the step
                    JsonNode asked = server.get("/api/notifications").json().path("notifications");
                    assertThat(asked.findValuesAsText("type")).contains("pipeline");
                    assertThat(asked.findValues("data").stream().map(d -> d.path("pipelineId").asText()))
                            .contains(id);
                    assertThat(server.post(path + "/approve", Map.of("approved", "yes")).errorField())
                            .isEqualTo("approved");
                    TestServer.Reply answer = server.post(path + "/approve", Map.of("approved", approved,
                            "comment", "not today"));
                    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                    if (approved) {
                        await(() -> server.get(path).json().path("pipeline").path("status").asText()
                                .equals("completed"));
                        assertThat(server.get(path).json().path("pipeline").path("stages").get(1).path("output")
                                .asText()).isEqualTo("done");
                        // a step's tools narrow its agent's: none for the draft, the agent's own for the other
                        assertThat(offeredTools(fake, "Draft it")).isEmpty();
                        assertThat(offeredTools(fake, "Publish done")).containsExactly("current_time");
                    } else {
                        JsonNode stopped = server.get(path).json().path("pipeline");
                        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
                        assertThat(stopped.path("error").asText()).contains("not approved", "not today");
                        assertThat(server.post(path + "/approve", Map.of("approved", true)).status())
                                .isEqualTo(409);
                        assertThat(server.post(path + "/stop", Map.of()).status()).isEqualTo(409);
                    }
                }
            }
        }
    }

    @Test
    void badInputIs400NamingTheFieldAndOtherUsersSee404() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                String t = "/api/pipelines/templates";
                assertField(server.post(t, Map.of("steps", List.of(Map.of("id", "a", "prompt", "x")))), "name");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of())), "steps");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a")))),
                        "steps[0].prompt");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a b", "prompt", "x")))),
                        "steps[0].id");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x"),
                        Map.of("id", "a", "prompt", "y")))), "steps[1].id");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                        "agent", "nobody")))), "steps[0].agent");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                        "tools", List.of("rm_rf"))))), "steps[0].tools[0]");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                        "retries", 99)))), "steps[0].retries");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                        "foreach", "steps.later"), Map.of("id", "later", "prompt", "y")))), "steps[0].foreach");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a",
                        "prompt", "{{steps.b.output}}")))), "steps[0].prompt");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a",
                        "prompt", "{{item}}")))), "steps[0].prompt");
                assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                        "colour", "red")))), "steps[0].colour");
                String templateId = server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a",
                        "prompt", "About {{input.topic}}")))).json().path("template").path("id").asText();
                assertField(server.post("/api/pipelines", Map.of("templateId", templateId)), "inputs.topic");
                assertField(server.post("/api/pipelines", Map.of("templateId", templateId,
                        "inputs", Map.of("topic", 5))), "inputs.topic");
                assertField(server.post("/api/pipelines", Map.of()), "templateId");
                assertField(server.post("/api/pipelines", Map.of("templateId", "plt_nope")), "templateId");

                // another user's template and runs are 404, and their lists are empty
                server.createUser("carol", IdentityTest.ALICE_PASSWORD, "user");
                String carol = server.login("carol", IdentityTest.ALICE_PASSWORD);
                assertThat(server.as(carol).get(t + "/" + templateId).status()).isEqualTo(404);
                assertThat(server.as(carol).delete(t + "/" + templateId).status()).isEqualTo(404);
                assertThat(server.as(carol).get(t).json().path("templates")).isEmpty();
                assertField(server.as(carol).post("/api/pipelines", Map.of("templateId", templateId,
                        "inputs", Map.of("topic", "x"))), "templateId");
                assertThat(server.get(t + "/" + templateId).status()).isEqualTo(200);
            }
        }
    }

    private static void assertField(TestServer.Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
    }

    private static JsonNode checkpoint(JsonNode pipeline, String label) {
        for (JsonNode checkpoint : pipeline.path("checkpoints")) {
            if (checkpoint.path("label").asText().equals(label)) {
                return checkpoint;
            }
        }
        throw new AssertionError("no checkpoint '" + label + "' in " + pipeline.path("checkpoints"));
    }

    private static List<String> offeredTools(FakeLlmServer fake, String fragment) {
        RecordedRequest request = fake.requests().stream().filter(r -> lastUserText(r).contains(fragment)).findFirst()
                .orElseThrow();
        return request.body().path("tools").findValuesAsText("name");
    }

    private static boolean asked(FakeLlmServer fake, String fragment) {
        return fake.requests().stream().anyMatch(r -> lastUserText(r).contains(fragment));
    }

    private static String lastUserText(RecordedRequest request) {
        List<String> users = new ArrayList<>();
        for (JsonNode message : request.messages()) {
            if ("user".equals(message.path("role").asText())) {
                users.add(message.path("content").toString());
            }
        }
        return users.isEmpty() ? "" : users.getLast();
    }
}
