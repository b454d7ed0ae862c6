package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model layer through HTTP: the catalog, switching one session's model, failover to a route's backup, what
 * every call costs, and budgets that stop runs.
 */
class ModelsAndCostsTest {

    // list prices of the bundled catalog, US dollars per million tokens
    private static final double MINI_IN = 0.15;
    private static final double MINI_OUT = 0.60;

    @TempDir
    Path home;

    private static Match model(String name) {
        return r -> name.equals(r.model());
    }

    @Test
    void aPrimaryAnswering500Or429FailsOverToTheBackupAndTheStreamSaysSo() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(model("gpt-4o"), Reply.error(500, "{\"error\":{\"message\":\"upstream exploded\"}}"))
                    .on(model("claude-like"), Reply.error(429, "{\"error\":{\"message\":\"slow down\"}}"))
                    .on(model("gpt-4o-mini"), Reply.text("Backup here."));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                register(server, "primary", "gpt-4o", fake);
                register(server, "backup", "gpt-4o-mini", fake);
                assertThat(server.post("/api/models/primary/default", Map.of()).status()).isEqualTo(200);
                TestServer.Reply routed = server.put("/api/models/routing/default", Map.of("primary", "primary",
                        "backup", "backup"));
                assertThat(routed.status()).as(routed.body()).isEqualTo(200);

                List<JsonNode> events;
                try (TestServer.SseReader sse = server.streamMessage("f1", "hello")) {
                    events = sse.readUntil(named("run:complete"));
                }
                JsonNode failover = first(events, "llm:failover");
                assertThat(failover.path("failedModel").asText()).isEqualTo("gpt-4o");
                assertThat(failover.path("status").asInt()).isEqualTo(500);
                assertThat(failover.path("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(first(events, "llm:response").path("content").asText()).isEqualTo("Backup here.");
                assertThat(first(events, "llm:response").path("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(first(events, "run:complete").path("finishReason").asText()).isEqualTo("stop");
                assertThat(TestServer.names(events)).doesNotContain("llm:error");
                assertThat(fake.requests()).extracting(RecordedRequest::model)
                        .containsExactly("gpt-4o", "gpt-4o-mini");

                // a 429 fails over the same way; the health shows the primary down, the backup up
                register(server, "limited", "claude-like", fake);
                server.put("/api/models/routing/default", Map.of("primary", "limited", "backup", "backup"));
                try (TestServer.SseReader sse = server.streamMessage("f2", "hello again")) {
                    events = sse.readUntil(named("run:complete"));
                }
                assertThat(first(events, "llm:failover").path("status").asInt()).isEqualTo(429);
                assertThat(first(events, "llm:failover").path("failedModel").asText()).isEqualTo("claude-like");
                JsonNode health = server.get("/api/models/health").json();
                assertThat(health.path("healthy").asBoolean()).isFalse();
                assertThat(statusOf(health, "primary")).isEqualTo("down");
                assertThat(statusOf(health, "limited")).isEqualTo("down");
                assertThat(statusOf(health, "backup")).isEqualTo("up");

                // without a backup the failure is the run's
                server.put("/api/models/routing/default", Map.of("primary", "primary"));
                try (TestServer.SseReader sse = server.streamMessage("f3", "once more")) {
                    events = sse.readUntil(named("run:complete"));
                }
                assertThat(TestServer.names(events)).contains("llm:error").doesNotContain("llm:failover");
            }
        }
    }

    @Test
    void switchingOneSessionsModelLeavesTheOtherSessionsAlone() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("ok"));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                server.post("/api/message-sync", Map.of("sessionId", "one", "content", "hi"));
                server.post("/api/message-sync", Map.of("sessionId", "two", "content", "hi"));
                TestServer.Reply switched = server.post("/api/llm/switch", Map.of("sessionId", "one",
                        "model", "gpt-4o-mini", "maxOutputTokens", 300));
                assertThat(switched.status()).as(switched.body()).isEqualTo(200);
                assertThat(switched.json().path("config").path("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(switched.json().path("config").path("displayName").asText()).isEqualTo("GPT-4o mini");

                server.post("/api/message-sync", Map.of("sessionId", "one", "content", "again"));
                assertThat(fake.awaitRequests(3, java.time.Duration.ofSeconds(10)).model()).isEqualTo("gpt-4o-mini");
                assertThat(fake.requests().get(2).body().path("max_tokens").asInt(
                        fake.requests().get(2).body().path("max_completion_tokens").asInt())).isEqualTo(300);
                server.post("/api/message-sync", Map.of("sessionId", "two", "content", "again"));
                assertThat(fake.awaitRequests(4, java.time.Duration.ofSeconds(10)).model()).isEqualTo("test-model");

                assertThat(server.get("/api/llm/current?sessionId=one").json().path("config").path("model")
                        .asText()).isEqualTo("gpt-4o-mini");
                assertThat(server.get("/api/llm/current?sessionId=one").json().path("routing").path("source")
                        .asText()).isEqualTo("session");
                assertThat(server.get("/api/llm/current?sessionId=two").json().path("config").path("model")
                        .asText()).isEqualTo("test-model");
                assertThat(server.get("/api/llm/current").json().path("config").path("model").asText())
                        .isEqualTo("test-model");
                assertThat(server.get("/api/llm/current?sessionId=nope").status()).isEqualTo(404);
                assertThat(server.post("/api/llm/switch", Map.of("sessionId", "nope", "model", "gpt-4o"))
                        .status()).isEqualTo(404);

                // the agent-wide switch (an administrator's) moves every session without a switch of its own
                assertThat(server.post("/api/llm/switch", Map.of("model", "gpt-4o")).status()).isEqualTo(200);
                server.post("/api/message-sync", Map.of("sessionId", "two", "content", "third"));
                assertThat(fake.awaitRequests(5, java.time.Duration.ofSeconds(10)).model()).isEqualTo("gpt-4o");
                server.post("/api/message-sync", Map.of("sessionId", "one", "content", "third"));
                assertThat(fake.awaitRequests(6, java.time.Duration.ofSeconds(10)).model()).isEqualTo("gpt-4o-mini");

                // switches survive a restart
                server.restart();
                assertThat(server.get("/api/llm/current?sessionId=one").json().path("config").path("model")
                        .asText()).isEqualTo("gpt-4o-mini");
            }
        }
    }

    @Test
    void costsAddUpAcrossMessagesAndTheUsageReportSumsThemByDayAndModel() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("first"), Reply.text("one").withUsage(1000, 200))
                    .on(Match.lastUserMessageContains("second"), Reply.text("two").withUsage(3000, 500));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                server.post("/api/llm/switch", Map.of("model", "gpt-4o-mini"));
                double first = (1000 * MINI_IN + 200 * MINI_OUT) / 1_000_000;
                double second = (3000 * MINI_IN + 500 * MINI_OUT) / 1_000_000;
                List<JsonNode> events;
                try (TestServer.SseReader sse = server.streamMessage("c", "first")) {
                    events = sse.readUntil(named("run:complete"));
                }
                assertThat(first(events, "llm:response").path("estimatedCost").asDouble()).isCloseTo(first,
                        within(1e-12));
                assertThat(first(events, "run:complete").path("estimatedCost").asDouble()).isCloseTo(first,
                        within(1e-12));
                TestServer.Reply sync = server.post("/api/message-sync", Map.of("sessionId", "c", "content",
                        "second"));
                assertThat(sync.status()).as(sync.body()).isEqualTo(200);

                JsonNode report = server.get("/api/usage").json();
                assertThat(report.path("groupBy")).extracting(JsonNode::asText).containsExactly("day", "model");
                assertThat(report.path("rows")).hasSize(1);
                JsonNode row = report.path("rows").get(0);
                assertThat(row.path("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(row.path("calls").asInt()).isEqualTo(2);
                assertThat(row.path("cost").asDouble()).isCloseTo(first + second, within(1e-12));
                assertThat(row.path("tokenUsage").path("inputTokens").asLong()).isEqualTo(4000);
                assertThat(row.path("tokenUsage").path("outputTokens").asLong()).isEqualTo(700);
                assertThat(report.path("total").path("cost").asDouble()).isCloseTo(first + second, within(1e-12));
                JsonNode bySession = server.get("/api/usage?groupBy=session,agent,user&sessionId=c").json();
                assertThat(bySession.path("rows").get(0).path("agentId").asText()).isEqualTo("default");
                assertThat(bySession.path("rows").get(0).path("cost").asDouble()).isCloseTo(first + second,
                        within(1e-12));
                // what was spent stays in the ledger when the conversation is deleted
                assertThat(server.delete("/api/sessions/c").status()).isEqualTo(200);
                assertThat(server.get("/api/usage?groupBy=none").json().path("total").path("cost").asDouble())
                        .isCloseTo(first + second, within(1e-12));
                assertThat(server.get("/api/usage?from=2000-01-01&to=2000-01-02").json().path("total")
                        .path("calls").asInt()).isZero();
            }
        }
    }

    @Test
    void aBudgetStopsARunBeforeItStartsAndBetweenIterationsWithAClearError() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            // 100k input tokens of gpt-4o-mini: $0.015, over the budget after the first call
            fake.on(Match.lastMessageIsToolResult(), Reply.text("done"))
                    .on(Match.lastUserMessageContains("time"), Reply.toolCall("current_time", "{}")
                            .withUsage(100_000, 10))
                    .otherwise(Reply.text("fine").withUsage(10, 10));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                server.post("/api/llm/switch", Map.of("model", "gpt-4o-mini"));
                TestServer.Reply set = server.put("/api/budgets/agent/default", Map.of("limitUsd", 0.01,
                        "period", "day"));
                assertThat(set.status()).as(set.body()).isEqualTo(200);
                assertThat(set.json().path("spentUsd").asDouble()).isZero();

                List<JsonNode> events;
                try (TestServer.SseReader sse = server.streamMessage("b", "what time is it?")) {
                    events = sse.readUntil(named("run:complete"));
                }
                // the first call went ahead; the tool ran; the budget stopped the second iteration
                assertThat(TestServer.names(events)).contains("llm:tool-result");
                JsonNode error = first(events, "llm:error");
                assertThat(error.path("code").asText()).isEqualTo("budget_exceeded");
                assertThat(error.path("error").asText()).contains("daily budget of agent 'default' is used up");
                assertThat(first(events, "run:complete").path("finishReason").asText()).isEqualTo("error");
                assertThat(fake.requests()).hasSize(1);

                // before a run starts: the sync API answers 402 naming the budget, and no model call is made
                TestServer.Reply refused = server.post("/api/message-sync", Map.of("sessionId", "b2",
                        "content", "hello"));
                assertThat(refused.status()).as(refused.body()).isEqualTo(402);
                assertThat(refused.json().path("error").path("code").asText()).isEqualTo("budget_exceeded");
                assertThat(fake.requests()).hasSize(1);
                JsonNode budgets = server.get("/api/budgets").json().path("budgets");
                assertThat(budgets.get(0).path("exceeded").asBoolean()).isTrue();

                // raising the budget lets runs go on
                server.put("/api/budgets/agent/default", Map.of("limitUsd", 5, "period", "day"));
                assertThat(server.post("/api/message-sync", Map.of("sessionId", "b2", "content", "hello"))
                        .status()).isEqualTo(200);
                assertThat(server.delete("/api/budgets/agent/default").status()).isEqualTo(200);
                assertThat(server.delete("/api/budgets/agent/default").status()).isEqualTo(404);
            }
        }
    }

    @Test
    void theCatalogFiltersAndBadInputIsRefusedNamingTheProblem() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                JsonNode flat = server.get("/api/llm/catalog?scope=curated&mode=flat&provider=anthropic&fileType=pdf")
                        .json();
                assertThat(flat.path("pricesAsOf").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
                assertThat(flat.path("models")).isNotEmpty().allSatisfy(m -> {
                    assertThat(m.path("provider").asText()).isEqualTo("anthropic");
                    assertThat(m.path("supportedFileTypes")).extracting(JsonNode::asText).contains("pdf");
                    assertThat(m.path("pricing").path("cacheWritePerM").asDouble()).isPositive();
                });
                JsonNode grouped = server.get("/api/llm/catalog?defaultOnly=true").json().path("providers");
                assertThat(grouped.path("openai").path("models")).hasSize(1);
                assertThat(grouped.path("openai").path("models").get(0).path("name").asText()).isEqualTo("gpt-5");
                assertThat(server.get("/api/llm/capabilities?provider=google&model=gemini-2.5-flash").json()
                        .path("supportedFileTypes")).extracting(JsonNode::asText).contains("audio");
                assertThat(server.get("/api/llm/capabilities?provider=openrouter&model=openai/gpt-4o-mini-2024")
                        .json().path("supportedFileTypes")).extracting(JsonNode::asText).contains("image");

                assertField(server.get("/api/llm/catalog?provider=skynet"), "provider");
                assertField(server.get("/api/llm/catalog?fileType=video"), "fileType");
                assertField(server.get("/api/llm/catalog?mode=tree"), "mode");
                assertField(server.get("/api/llm/capabilities?provider=openai&model=gpt-9000"), "model");
                assertField(server.post("/api/llm/switch", Map.of("provider", "skynet", "model", "x")), "provider");
                TestServer.Reply unknownModel = server.post("/api/llm/switch", Map.of("provider", "openai",
                        "model", "gpt-9000"));
                assertField(unknownModel, "model");
                assertThat(unknownModel.json().path("error").path("message").asText()).contains("gpt-9000");
                assertField(server.post("/api/llm/switch", Map.of("provider", "groq", "model", "x")), "provider");
                assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "temperature", 3)),
                        "temperature");
                assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "apiKey", "literal-key")),
                        "apiKey");
                assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "reasoningEffort", "max")),
                        "reasoningEffort");
                assertField(server.post("/api/llm/switch", Map.of("provider", "openai")), "model");
                assertField(server.post("/api/models", Map.of("name", "x", "provider", "nope", "model", "m")),
                        "provider");
                assertField(server.post("/api/models", Map.of("name", "x", "provider", "anthropic",
                        "model", "claude-9")), "model");
                assertField(server.put("/api/models/routing/default", Map.of("primary", "ghost")), "primary");
                assertField(server.put("/api/budgets/team/x", Map.of("limitUsd", 1)), "scope");
                assertField(server.put("/api/budgets/user/x", Map.of("limitUsd", -1)), "limitUsd");
                assertField(server.get("/api/usage?groupBy=planet"), "groupBy");
                assertField(server.post("/api/llm/custom-models", Map.of("name", "local-x",
                        "provider", "openai-compatible")), "baseURL");

                // a custom model makes an unknown name switchable
                TestServer.Reply saved = server.post("/api/llm/custom-models", Map.of("name", "my-local",
                        "provider", "openai-compatible", "baseURL", fake.openAiBaseUrl(), "maxInputTokens", 4096));
                assertThat(saved.status()).as(saved.body()).isEqualTo(200);
                assertThat(server.get("/api/llm/custom-models").json().path("models")).hasSize(1);
                assertThat(server.post("/api/llm/switch", Map.of("model", "my-local")).status()).isEqualTo(200);
                assertThat(server.get("/api/llm/current").json().path("config").path("maxInputTokens").asInt())
                        .isEqualTo(4096);
                assertThat(server.delete("/api/llm/custom-models/my-local").status()).isEqualTo(200);
                assertThat(server.delete("/api/llm/custom-models/my-local").status()).isEqualTo(404);

                // a model a route uses cannot be deleted
                register(server, "r1", "gpt-4o", fake);
                server.put("/api/models/routing/default", Map.of("primary", "r1"));
                assertThat(server.delete("/api/models/r1").status()).isEqualTo(409);
                assertThat(server.post("/api/models", Map.of("name", "r1", "provider", "openai-compatible",
                        "model", "gpt-4o", "baseURL", fake.openAiBaseUrl())).status()).isEqualTo(409);
                assertThat(server.get("/api/models/ghost").status()).isEqualTo(404);
            }
        }
    }

    @Test
    void theConnectivityTestCallsTheModelOnce() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(model("gpt-4o"), Reply.text("OK")).on(model("gpt-4o-mini"),
                    Reply.error(503, "{\"error\":{\"message\":\"overloaded\"}}"));
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                JsonNode ok = server.post("/api/models/test", Map.of("provider", "openai-compatible", "model",
                        "gpt-4o", "baseURL", fake.openAiBaseUrl())).json();
                assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
                assertThat(ok.path("reply").asText()).isEqualTo("OK");
                JsonNode down = server.post("/api/models/test", Map.of("provider", "openai-compatible", "model",
                        "gpt-4o-mini", "baseURL", fake.openAiBaseUrl())).json();
                assertThat(down.path("ok").asBoolean()).isFalse();
                assertThat(down.path("status").asInt()).isEqualTo(503);
            }
        }
    }

    private static void register(TestServer server, String name, String model, FakeLlmServer fake) {
        TestServer.Reply created = server.post("/api/models", Map.of("name", name, "provider", "openai-compatible",
                "model", model, "baseURL", fake.openAiBaseUrl()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static String statusOf(JsonNode health, String name) {
        for (JsonNode m : health.path("models")) {
            if (name.equals(m.path("name").asText())) {
                return m.path("status").asText();
            }
        }
        return null;
    }

    private static JsonNode first(List<JsonNode> events, String name) {
        return events.stream().filter(e -> name.equals(e.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + TestServer.names(events)));
    }

    private static void assertField(TestServer.Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
    }
}
