package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {

    @TempDir
    static Path home;

    static FakeLlmServer fake;
    static TestServer server;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
        server.post("/api/sessions", Map.of("sessionId", "known"));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.close();
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
        TestServer.Reply reply = server.post("/api/message", "{\"sessionId\": \"x\", ");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("code").asText()).isEqualTo("invalid_input");
        assertThat(reply.errorField()).isEqualTo("body");
        assertThat(server.post("/api/message", "[1,2]").errorField()).isEqualTo("body");
    }

    @Test
    void missingOrWrongTypedFieldsAreNamed() {
        assertField(server.post("/api/message", Map.of("content", "hi")), 400, "sessionId");
        assertField(server.post("/api/message", Map.of("sessionId", 5, "content", "hi")), 400, "sessionId");
        assertField(server.post("/api/message-sync", Map.of("sessionId", "a")), 400, "content");
        assertField(server.post("/api/message-stream", Map.of("sessionId", "a", "content", 42)), 400, "content");
        assertField(server.post("/api/message", Map.of("sessionId", "a", "content", List.of())), 400, "content");
        assertField(server.post("/api/message", Map.of("sessionId", "a",
                "content", List.of(Map.of("type", "video", "url", "x")))), 400, "content[0].type");
        assertField(server.post("/api/message", Map.of("sessionId", "a",
                "content", List.of(Map.of("type", "image", "image", "!!!", "mimeType", "image/png")))), 400,
                "content[0].image");
        assertField(server.post("/api/message", Map.of("sessionId", "a", "content", "hi", "kind", "urgent")), 400, "kind");
        assertField(server.post("/api/message", Map.of("sessionId", "../etc", "content", "hi")), 400, "sessionId");
        assertField(server.post("/api/sessions/known/cancel", Map.of("clearQueue", "yes")), 400, "clearQueue");
        assertField(server.patch("/api/sessions/known", Map.of("title", "x".repeat(121))), 400, "title");
        assertField(server.patch("/api/sessions/known", Map.of("title", "")), 400, "title");
        assertField(server.patch("/api/sessions/known", Map.of("titel", "typo")), 400, "titel");
        assertField(server.post("/api/sessions", Map.of("agentId", "nobody")), 400, "agentId");
        assertField(server.get("/api/sessions/known/events?after=-3"), 400, "after");
        assertField(server.post("/api/reset", Map.of()), 400, "sessionId");
    }

    @Test
    void pipelineTemplatesAndRunsNameTheWrongField() {
        String t = "/api/pipelines/templates";
        assertField(server.post(t, Map.of("steps", List.of(Map.of("id", "a", "prompt", "x")))), 400, "name");
        assertField(server.post(t, Map.of("name", "n", "steps", "a")), 400, "steps");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", 3)))), 400,
                "steps[0].prompt");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                "approval", "yes")))), 400, "steps[0].approval");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                "retries", -1)))), 400, "steps[0].retries");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a", "prompt", "x",
                "foreach", "elsewhere")))), 400, "steps[0].foreach");
        assertField(server.post(t, Map.of("name", "n", "steps", List.of(Map.of("id", "a",
                "prompt", "{{nonsense}}")))), 400, "steps[0].prompt");
        assertField(server.post("/api/pipelines", Map.of("templateId", 7)), 400, "templateId");
        assertField(server.post("/api/pipelines", Map.of("templateId", "x", "inputs", List.of())), 400, "inputs");
        assertField(server.post("/api/pipelines", Map.of("templateId", "x", "extra", 1)), 400, "extra");
        for (TestServer.Reply reply : List.of(server.get("/api/pipelines/nope"), server.get(t + "/nope"),
                server.post("/api/pipelines/nope/pause", Map.of()), server.post("/api/pipelines/nope/resume", Map.of()),
                server.get("/api/pipelines/nope/checkpoints"))) {
            assertThat(reply.status()).isEqualTo(404);
        }
    }

    @Test
    void badWebhooksHooksAndNotificationQueriesAreNamed() {
        assertField(server.post("/api/webhooks", Map.of()), 400, "url");
        assertField(server.post("/api/webhooks", Map.of("url", "http://127.0.0.1:8080/x")), 400, "url");
        assertField(server.post("/api/webhooks", Map.of("url", "http://169.254.169.254/")), 400, "url");
        // a host that does not resolve (".invalid" never does) cannot receive deliveries
        assertField(server.post("/api/webhooks", Map.of("url", "https://no-such-host.invalid/hook")), 400, "url");
        assertField(server.post("/api/webhooks", Map.of("url", "https://93.184.215.14/", "secret", "short")), 400,
                "secret");
        assertField(server.post("/api/webhooks", Map.of("url", "https://93.184.215.14/", "events", "all")), 400,
                "events");
        assertField(server.post("/api/webhooks", Map.of("url", "https://93.184.215.14/", "colour", "red")), 400,
                "colour");
        Map<String, Object> notify = Map.of("type", "notify", "title", "t");
        assertField(server.post("/api/hooks", Map.of("trigger", "agent_completed", "actions", List.of(notify))),
                400, "name");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", "sometimes",
                "actions", List.of(notify))), 400, "trigger");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", "agent_completed",
                "actions", List.of(notify), "conditions", List.of(Map.of("field", "a", "operator", "like",
                        "value", "b")))), 400, "conditions[0].operator");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", "agent_completed",
                "actions", List.of(notify), "conditions", List.of(Map.of("field", "a", "operator", "in",
                        "value", "b")))), 400, "conditions[0].value");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", Map.of("type", "schedule",
                "cron", "61 * * * *"), "actions", List.of(notify))), 400, "trigger.cron");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", Map.of("type", "webhook"),
                "secret", "short", "actions", List.of(notify))), 400, "secret");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", "agent_completed",
                "actions", List.of(Map.of("type", "run_agent", "agentId", "nobody", "prompt", "p")))), 400,
                "actions[0].agentId");
        assertField(server.post("/api/hooks", Map.of("name", "h", "trigger", "agent_completed",
                "actions", List.of(notify), "maxExecutions", 0)), 400, "maxExecutions");
        assertField(server.get("/api/notifications?limit=1000"), 400, "limit");
        assertField(server.get("/api/hooks/nope/executions?limit=x"), 400, "limit");
    }

    @Test
    void skillPermissionOverridesAndSkillToolCallsNameTheBadField() {
        server.post("/api/skills/import", Map.of("content", """
                ---
                name: Clock
                description: Tells the time.
                tools: [current_time]
                ---
                Call current_time.
                """));
        TestServer.Client admin = server.as(TestServer.KEY);
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "current_time")), 400,
                "level");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "current_time",
                "level", "sometimes")), 400, "level");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "x".repeat(129),
                "level", "deny")), 400, "action");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", "clock", "action", "rm",
                "level", "deny")), 400, "action");
        assertField(admin.put("/api/skills/permissions", Map.of("skillId", 7, "action", "*", "level", "deny")), 400,
                "skillId");
        assertField(admin.put("/api/skills/permissions", "[]"), 400, "body");
        assertField(server.post("/api/skills/clock/tools/current_time/execute", "[1]"), 400, "body");
        assertField(server.post("/api/skills/clock/tools/current_time/execute", Map.of("zone", 5, "extra", true)),
                400, "body");
        assertThat(server.delete("/api/skills/permissions/clock/current_time").status()).isEqualTo(404);
    }

    @Test
    void badSchedulesAreNamedAndUnknownOnesAre404() {
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 25 * * *")), 400, "cron");
        assertField(server.post("/api/agents/default/scheduled-tasks", Map.of("prompt", "x", "cron", "nonsense")), 400,
                "cron");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 0)), 400, "intervalMinutes");
        assertField(server.post("/v1/loops", Map.of("prompt", "x", "intervalMinutes", 5, "profileId", "nobody")), 400,
                "profileId");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "agentId", "nobody")),
                400, "agentId");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "times", List.of("9am"))), 400, "times[0]");
        assertField(server.post("/api/schedules", Map.of("prompt", "x", "cron", "0 9 * * *", "timezone", "Nowhere")),
                400, "timezone");
        assertField(server.post("/v1/loops", Map.of("prompt", "", "intervalMinutes", 5)), 400, "prompt");
        assertField(server.post("/v1/loops/nope/toggle", Map.of("enabled", "yes")), 404, null);
        for (TestServer.Reply reply : List.of(server.get("/api/schedules/nope"),
                server.post("/v1/loops/nope/run", Map.of()), server.post("/api/schedules/nope/trigger", Map.of()),
                server.delete("/api/scheduled-tasks/nope"), server.get("/api/agents/nobody/scheduled-tasks"))) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        }
    }

    @Test
    void modelSwitchesRegistryUsageAndBudgetsNameTheWrongField() {
        assertField(server.post("/api/llm/switch", Map.of("provider", "skynet", "model", "m")), 400, "provider");
        assertField(server.post("/api/llm/switch", Map.of("provider", "anthropic", "model", "claude-0")), 400,
                "model");
        assertField(server.post("/api/llm/switch", Map.of("model", 5)), 400, "model");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "maxOutputTokens", 0)), 400,
                "maxOutputTokens");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "baseURL", "ftp://x")), 400, "baseURL");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "allowedMediaTypes", List.of())), 400,
                "allowedMediaTypes");
        assertField(server.post("/api/llm/switch", Map.of("model", "gpt-4o", "agentId", "nobody")), 400, "agentId");
        assertField(server.get("/api/llm/catalog?scope=everything"), 400, "scope");
        assertField(server.get("/api/llm/catalog?hasKey=maybe"), 400, "hasKey");
        assertField(server.get("/api/llm/capabilities?provider=openai"), 400, "model");
        assertField(server.post("/api/llm/custom-models", Map.of("provider", "ollama")), 400, "name");
        assertField(server.post("/api/models", Map.of("provider", "openai", "model", "gpt-4o")), 400, "name");
        assertField(server.post("/api/models", Map.of("name", "n", "provider", "openai")), 400, "model");
        assertField(server.post("/api/models", Map.of("name", "n", "provider", "openai", "model", "gpt-4o",
                "temperature", "hot")), 400, "temperature");
        assertField(server.put("/api/models/routing/Not%20A%20Topic", Map.of("primary", "x")), 400, "topic");
        assertField(server.put("/api/models/routing/default", Map.of()), 400, "primary");
        assertField(server.post("/api/models/test", Map.of("provider", "openai")), 400, "model");
        assertField(server.get("/api/usage?from=yesterday"), 400, "from");
        assertField(server.get("/api/usage?from=2026-02-01&to=2026-01-01"), 400, "to");
        assertField(server.put("/api/budgets/agent/default", Map.of("limitUsd", "ten")), 400, "limitUsd");
        assertField(server.put("/api/budgets/agent/default", Map.of("limitUsd", 1, "period", "week")), 400,
                "period");
        for (TestServer.Reply reply : List.of(server.get("/api/models/nope"), server.delete("/api/models/nope"),
                server.post("/api/models/nope/default", Map.of()), server.delete("/api/models/routing/nope"),
                server.delete("/api/llm/custom-models/nope"), server.delete("/api/budgets/user/nope"),
                server.get("/api/llm/current?sessionId=nope"))) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        }
    }

    @Test
    void speechAndModelDiscoveryNameTheWrongField() {
        assertField(server.post("/v1/tts/speak", Map.of("text", "")), 400, "text");
        assertField(server.post("/v1/tts/speak", Map.of("text", 5)), 400, "text");
        assertField(server.post("/v1/tts/speak", Map.of("text", "hi", "speed", "fast")), 400, "speed");
        assertField(server.post("/v1/tts/speak", Map.of("text", "hi", "voice", "../x")), 400, "voice");
        assertField(server.post("/v1/tts/speak", Map.of("text", "hi", "format", "mp3")), 400, "format");
        assertField(server.post("/api/voice/transcribe", Map.of()), 400, "audio");
        assertField(server.post("/api/voice/transcribe", Map.of("audio", "***")), 400, "audio");
        assertField(server.post("/api/voice/transcribe", Map.of("audio", "aGVsbG8=", "mimeType", "text/plain")), 400,
                "audio");
        assertField(server.post("/api/voice/transcribe", Map.of("audio", "UklGRiQAAABXQVZF", "language", "english")),
                400, "language");
        assertField(server.post("/transcribe", Map.of("file", "x")), 400, "file");
        assertField(server.get("/api/models/providers/skynet/known"), 400, "provider");
        assertField(server.get("/api/models/ollama?baseURL=ftp://x"), 400, "baseURL");
        assertField(server.get("/api/models/ollama?baseURL=http://169.254.169.254"), 400, "baseURL");
        assertField(server.post("/api/provider-models", Map.of()), 400, "provider");
        assertField(server.post("/api/provider-models", Map.of("provider", "openai-compatible",
                "baseURL", "http://10.0.0.1/v1")), 400, "baseURL");
        assertField(server.post("/api/test-model", Map.of("provider", "openai")), 400, "model");
    }

    @Test
    void localModelRequestsNameTheWrongField() {
        assertField(server.post("/api/models/local/validate", Map.of()), 400, "filePath");
        assertField(server.post("/api/models/local/validate", Map.of("filePath", 7)), 400, "filePath");
        assertField(server.post("/api/models/local/validate", Map.of("filePath", "/etc/passwd")), 400, "filePath");
        assertField(server.post("/api/models/local/validate", Map.of("filePath", "../secrets/master.key")), 400,
                "filePath");
        assertThat(server.post("/api/models/local/validate", Map.of("filePath", "absent.gguf")).status())
                .isEqualTo(404);
        assertField(server.post("/api/llm/switch", Map.of("provider", "local", "model", "absent.gguf")), 404,
                null);
        assertField(server.post("/api/llm/switch", Map.of("provider", "local", "model", "../x.gguf")), 400, "model");
    }

    @Test
    void unknownSessionsAndRoutesAre404() {
        for (TestServer.Reply reply : List.of(server.get("/api/sessions/nope"), server.get("/api/sessions/nope/history"),
                server.post("/api/sessions/nope/cancel", Map.of()), server.delete("/api/sessions/nope"),
                server.get("/api/queue/nope"), server.post("/api/reset", Map.of("sessionId", "nope")),
                server.get("/api/sessions/nope/events"), server.get("/api/no-such-route"))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().path("error").path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void aDuplicateSessionIdIs409AndNothingStoredIsLost() {
        server.post("/api/sessions", Map.of("sessionId", "dup"));
        server.patch("/api/sessions/dup", Map.of("title", "Kept"));
        TestServer.Reply again = server.post("/api/sessions", Map.of("sessionId", "dup"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(server.get("/api/sessions/dup").json().path("session").path("title").asText()).isEqualTo("Kept");
    }

    @Test
    void anOversizedBodyIs413() {
        String big = "{\"sessionId\":\"a\",\"content\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        TestServer.Reply reply = server.post("/api/message", big);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().path("error").path("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void badInputToAgentsNamesTheField() {
        assertField(server.post("/api/agents/default/message", Map.of()), 400, "message");
        assertField(server.post("/api/agents/default/message", Map.of("message", "hi", "wait", "yes")), 400, "wait");
        assertField(server.get("/api/agents/default/events?after=abc"), 400, "after");
        assertField(server.get("/api/agents/default/events?limit=0"), 400, "limit");
        assertField(server.post("/api/agents", Map.of()), 400, "name");
        assertField(server.post("/api/agents", Map.of("id", "Bad Id")), 400, "id");
        assertField(server.post("/api/agents", Map.of("id", "typo-agent", "systemPromt", "x")), 400, "systemPromt");
        assertField(server.post("/api/agents/install", Map.of()), 400, "id");
        assertField(server.post("/api/agents/install", Map.of("id", "x", "sourcePath", "../../etc/passwd")), 400,
                "sourcePath");
        assertField(server.post("/api/agents/custom/create", Map.of("id", "x", "name", "X", "description", "d")), 400,
                "config");
        assertField(server.post("/api/agents/switch", Map.of()), 400, "id");
        assertField(server.post("/api/agent/validate", Map.of()), 400, "yaml");
        assertField(server.post("/api/agent/config", Map.of("yaml", "name: [unclosed")), 400, "yaml");
        assertField(server.as(TestServer.KEY).put("/api/settings/global", Map.of("apiKey", "sk-x")), 400, "apiKey");
        assertField(server.get("/api/bus/messages?limit=0"), 400, "limit");
        assertField(server.get("/api/subagent-tasks?limit=x"), 400, "limit");
        for (TestServer.Reply reply : List.of(server.get("/api/agents/nope"), server.patch("/api/agents/nope",
                Map.of("description", "x")), server.delete("/api/agents/nope"),
                server.post("/api/agents/nope/message", Map.of("message", "hi")),
                server.post("/api/agents/nope/pause", Map.of()), server.get("/api/agents/nope/events"),
                server.get("/api/agent/config?agentId=nope"), server.post("/api/agents/install", Map.of("id", "nope")))) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
            assertThat(reply.json().path("error").path("message").asText()).contains("nope");
        }
        TestServer.Reply coordinator = server.delete("/api/agents/default");
        assertThat(coordinator.status()).isEqualTo(409);
        assertThat(coordinator.json().path("error").path("message").asText()).contains("coordinator");
    }

    private static void assertField(TestServer.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorField()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
    }
}
