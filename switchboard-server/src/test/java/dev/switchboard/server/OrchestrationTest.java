package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.team.BusMessage;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator agent hands work to other agents through the delegate, spawn_subagent and broadcast tools. */
class OrchestrationTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void startTheModel() {
        fake = FakeLlmServer.start();
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    private void writeTeam(String coordinatorTools) {
        TestServer.writeAgent(home, "default", agent("You are the coordinator of a team.", coordinatorTools));
        TestServer.writeAgent(home, "worker", agent("You are the worker who computes.", "[current_time]"));
        TestServer.writeAgent(home, "critic", agent("You are the critic who judges.", "[current_time]"));
    }

    private String agent(String prompt, String tools) {
        return """
                systemPrompt: %s
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 5
                  maxRetries: 0
                  timeoutSeconds: 30
                tools: %s
                """.formatted(prompt, fake.openAiBaseUrl(), tools);
    }

    @Test
    void aCoordinatorDelegatesToAWorkerAndTheBusHoldsBothMessages() {
        writeTeam("[delegate]");
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult()),
                Reply.text("The worker says 42."));
        fake.on(Match.systemPromptContains("coordinator"),
                Reply.toolCall("delegate", "{\"agent\":\"worker\",\"message\":\"What is six times seven?\"}"));
        fake.on(Match.systemPromptContains("worker"), Reply.text("42"));
        try (TestServer server = TestServer.start(home)) {
            List<JsonNode> published = new CopyOnWriteArrayList<>();
            AutoCloseable listening = server.switchboard().bus().onMessage(m -> published.add(
                    TestServer.JSON.valueToTree(Map.of("kind", m.kind(), "seq", m.seq()))));

            TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "team", "content",
                    "Ask the worker what six times seven is"));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("response").asText()).isEqualTo("The worker says 42.");
            // the worker's answer reached the coordinator's model as the delegate tool's result
            RecordedRequest last = fake.requests().getLast();
            assertThat(last.systemPrompt()).contains("coordinator");
            assertThat(last.messages().get(last.messages().size() - 1).path("content").asText()).isEqualTo("42");

            JsonNode bus = server.get("/api/bus/messages?limit=10").json().path("messages");
            assertThat(bus).hasSize(2);
            assertThat(bus.get(0).path("kind").asText()).isEqualTo(BusMessage.DELEGATE);
            assertThat(bus.get(0).path("fromAgentId").asText()).isEqualTo("default");
            assertThat(bus.get(0).path("toAgentId").asText()).isEqualTo("worker");
            assertThat(bus.get(0).path("content").asText()).isEqualTo("What is six times seven?");
            assertThat(bus.get(1).path("kind").asText()).isEqualTo(BusMessage.REPLY);
            assertThat(bus.get(1).path("fromAgentId").asText()).isEqualTo("worker");
            assertThat(bus.get(1).path("content").asText()).isEqualTo("42");
            assertThat(bus.get(1).path("seq").asLong()).isGreaterThan(bus.get(0).path("seq").asLong());
            assertThat(published).hasSize(2);
            assertThat(published.get(1).path("seq").asLong()).isEqualTo(bus.get(1).path("seq").asLong());

            JsonNode tasks = server.get("/api/subagent-tasks").json().path("tasks");
            assertThat(tasks).hasSize(1);
            JsonNode task = tasks.get(0);
            assertThat(task.path("status").asText()).isEqualTo("completed");
            assertThat(task.path("result").asText()).isEqualTo("42");
            assertThat(task.path("depth").asInt()).isEqualTo(1);
            assertThat(task.path("parentSessionId").asText()).isEqualTo("team");
            assertThat(task.path("agentId").asText()).isEqualTo("worker");
            // the worker's conversation is a session of the same owner, readable like any other
            JsonNode history = server.get("/api/sessions/" + task.path("sessionId").asText() + "/history").json();
            assertThat(history.path("history").get(0).path("content").asText()).isEqualTo("What is six times seven?");

            // another user sees none of it
            server.createUser("bob", "bob-password-123", "user");
            TestServer.Client bob = server.as(server.login("bob", "bob-password-123"));
            assertThat(bob.get("/api/bus/messages").json().path("messages")).isEmpty();
            assertThat(bob.get("/api/subagent-tasks").json().path("tasks")).isEmpty();
            listening.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cancellingTheCoordinatorCancelsTheWorker() {
        writeTeam("[delegate]");
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult()),
                Reply.text("The worker did not answer."));
        fake.on(Match.systemPromptContains("coordinator"),
                Reply.toolCall("delegate", "{\"agent\":\"worker\",\"message\":\"Think for a long time\"}"));
        fake.on(Match.systemPromptContains("worker"), Reply.text("never").hang());
        try (TestServer server = TestServer.start(home)) {
            try (TestServer.SseReader stream = server.streamMessage("busy", "Get the worker going")) {
                await(() -> fake.requests().stream().anyMatch(r -> r.systemPrompt().contains("worker")));
                JsonNode task = server.get("/api/subagent-tasks").json().path("tasks").get(0);
                assertThat(task.path("status").asText()).isEqualTo("running");
                String workerSession = task.path("sessionId").asText();

                TestServer.Reply cancel = server.post("/api/sessions/busy/cancel", Map.of());
                assertThat(cancel.json().path("cancelled").asBoolean()).isTrue();

                List<JsonNode> events = stream.readUntil(named("run:complete"));
                assertThat(events.getLast().path("finishReason").asText()).isEqualTo("cancelled");
                // the worker's provider call was closed and its run ended as cancelled
                RecordedRequest workerCall = fake.requests().stream()
                        .filter(r -> r.systemPrompt().contains("worker")).findFirst().orElseThrow();
                assertThat(workerCall.awaitClientClosed(Duration.ofSeconds(5))).isTrue();
                await(() -> server.get("/api/sessions/" + workerSession + "/runs").json().path("runs").path(0)
                        .path("status").asText().equals("cancelled"));
                await(() -> server.get("/api/subagent-tasks").json().path("tasks").get(0).path("status").asText()
                        .equals("cancelled"));
                JsonNode bus = server.get("/api/bus/messages").json().path("messages");
                assertThat(bus).hasSize(2);
                assertThat(bus.get(1).path("content").asText()).startsWith("[cancelled]");
            }
        }
    }

    @Test
    void aSpawnedWorkerAnswersWithItsOwnPromptAndIsGoneAfterwards() {
        writeTeam("[spawn_subagent, broadcast]");
        fake.on(Match.systemPromptContains("temporary poet"), Reply.text("Autumn moon rising"));
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult())
                .and(Match.anyMessageContains("Autumn moon rising")), Reply.text("Here is the haiku."));
        fake.on(Match.systemPromptContains("coordinator"), Reply.toolCall("spawn_subagent",
                "{\"prompt\":\"You are a temporary poet.\",\"task\":\"Write a haiku about autumn\"}"));
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "poem", "content",
                    "A haiku please"));
            assertThat(reply.json().path("response").asText()).isEqualTo("Here is the haiku.");
            JsonNode task = server.get("/api/subagent-tasks").json().path("tasks").get(0);
            assertThat(task.path("kind").asText()).isEqualTo("spawn");
            assertThat(task.path("status").asText()).isEqualTo("completed");
            String worker = task.path("agentId").asText();
            assertThat(worker).startsWith("worker-");
            // the temporary worker ran with the coordinator's model and its own prompt, and is not an agent now
            assertThat(fake.requests().stream().filter(r -> r.systemPrompt().contains("temporary poet")).count())
                    .isEqualTo(1);
            List<String> installed = new ArrayList<>();
            server.get("/api/agents").json().path("installed").forEach(a -> installed.add(a.path("id").asText()));
            assertThat(installed).containsExactlyInAnyOrder("default", "worker", "critic");
            assertThat(server.get("/api/agents/" + worker).status()).isEqualTo(404);
        }
    }

    @Test
    void aBroadcastReachesEveryOtherAgentAndCollectsTheirAnswers() {
        writeTeam("[broadcast]");
        fake.on(Match.systemPromptContains("worker"), Reply.text("worker votes yes"));
        fake.on(Match.systemPromptContains("critic"), Reply.text("critic votes no"));
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult()),
                Reply.text("Votes counted."));
        fake.on(Match.systemPromptContains("coordinator"),
                Reply.toolCall("broadcast", "{\"message\":\"Vote on the plan\"}"));
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "vote", "content", "Poll"));
            assertThat(reply.json().path("response").asText()).isEqualTo("Votes counted.");
            RecordedRequest last = fake.requests().getLast();
            String toolResult = last.messages().get(last.messages().size() - 1).path("content").asText();
            assertThat(toolResult).contains("## worker\nworker votes yes").contains("## critic\ncritic votes no");
            JsonNode bus = server.get("/api/bus/messages").json().path("messages");
            assertThat(bus).hasSize(4);
            List<String> kinds = new ArrayList<>();
            bus.forEach(m -> kinds.add(m.path("kind").asText()));
            assertThat(kinds).containsOnly("broadcast", "reply");
        }
    }

    @Test
    void delegationStopsAtTheDepthLimit() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), """
                tools:
                  orchestration:
                    maxDepth: 1
                """);
        writeTeam("[delegate]");
        // the worker may delegate too, but it is already one level down
        TestServer.writeAgent(home, "worker", agent("You are the worker who computes.", "[delegate]"));
        fake.on(Match.systemPromptContains("worker").and(Match.lastMessageIsToolResult()),
                Reply.text("I could not hand it on."));
        fake.on(Match.systemPromptContains("worker"),
                Reply.toolCall("delegate", "{\"agent\":\"critic\",\"message\":\"Check this\"}"));
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult()),
                Reply.text("Done."));
        fake.on(Match.systemPromptContains("coordinator"),
                Reply.toolCall("delegate", "{\"agent\":\"worker\",\"message\":\"Go deep\"}"));
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.post("/api/message-sync", Map.of("sessionId", "deep", "content", "Start")).json()
                    .path("response").asText()).isEqualTo("Done.");
            JsonNode tasks = server.get("/api/subagent-tasks").json().path("tasks");
            assertThat(tasks).hasSize(1);
            RecordedRequest workersSecondCall = fake.requests().stream()
                    .filter(r -> r.systemPrompt().contains("worker")).reduce((a, b) -> b).orElseThrow();
            assertThat(workersSecondCall.rawBody()).contains("Delegation depth limit reached (1 levels)");
            assertThat(fake.requests().stream().noneMatch(r -> r.systemPrompt().contains("critic"))).isTrue();
        }
    }

    @Test
    void aRunStopsStartingTasksAtTheCostLimit() throws Exception {
        JsonNode tasks = twoDelegationsUnder("maxCostUsd: 0.0001", "Cost limit reached");
        // the first task's priced answer (1000 + 1000 tokens of gpt-4o-mini) spent the budget
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).path("estimatedCost").asDouble()).isGreaterThan(0.0001);
    }

    @Test
    void aRunStopsStartingTasksAtTheCountLimit() throws Exception {
        assertThat(twoDelegationsUnder("maxTasks: 1", "Task limit reached")).hasSize(1);
    }

    /** The coordinator delegates twice in one run under the limit; the second is refused with {@code refusal}. */
    private JsonNode twoDelegationsUnder(String limit, String refusal) throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), "tools:\n  orchestration:\n    " + limit + "\n");
        writeTeam("[delegate]");
        TestServer.writeAgent(home, "worker", agent("You are the worker who computes.", "[current_time]")
                .replace("model: test-model", "model: gpt-4o-mini"));
        fake.on(Match.systemPromptContains("coordinator").and(Match.anyMessageContains(refusal)),
                Reply.text("Stopped by the limit."));
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult()),
                Reply.toolCall("delegate", "{\"agent\":\"critic\",\"message\":\"second\"}"));
        fake.on(Match.systemPromptContains("coordinator"),
                Reply.toolCall("delegate", "{\"agent\":\"worker\",\"message\":\"first\"}"));
        fake.on(Match.systemPromptContains("worker"), Reply.text("expensive answer").withUsage(1000, 1000));
        fake.on(Match.systemPromptContains("critic"), Reply.text("should not run"));
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.post("/api/message-sync", Map.of("sessionId", "limits", "content", "Spend")).json()
                    .path("response").asText()).isEqualTo("Stopped by the limit.");
            assertThat(fake.requests().stream().noneMatch(r -> r.systemPrompt().contains("critic"))).isTrue();
            return server.get("/api/subagent-tasks").json().path("tasks");
        }
    }

    @Test
    void delegatingToAnUnknownAgentTellsTheModelWhichAgentsExist() {
        writeTeam("[delegate]");
        fake.on(Match.systemPromptContains("coordinator").and(Match.lastMessageIsToolResult()),
                Reply.text("No such agent."));
        fake.on(Match.systemPromptContains("coordinator"),
                Reply.toolCall("delegate", "{\"agent\":\"ghost\",\"message\":\"Boo\"}"));
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/message-sync", Map.of("sessionId", "ghost", "content", "Ask the ghost"));
            assertThat(fake.requests().getLast().rawBody()).contains("No agent named 'ghost'").contains("worker");
            assertThat(server.get("/api/subagent-tasks").json().path("tasks")).isEmpty();
            assertThat(server.get("/api/bus/messages").json().path("messages")).isEmpty();
        }
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
