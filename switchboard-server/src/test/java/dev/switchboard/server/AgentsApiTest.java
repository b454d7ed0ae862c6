package dev.switchboard.server;

import static dev.switchboard.server.OrchestrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents as one resource: seed 003's definitions, seed 002's runtime operations, seed 004's registry and agent
 * configuration, and who may do what.
 */
class AgentsApiTest {

    @TempDir
    static Path home;

    static FakeLlmServer fake;
    static TestServer server;
    static TestServer.Client alice;
    static TestServer.Client bob;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.systemPromptContains("Answer in French"), Reply.text("Bonjour"));
        fake.otherwise(Reply.text("Hello"));
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        TestServer.writeAgent(home, "worker", """
                # the worker's own comment, kept through saves
                name: Worker
                description: Does the work
                systemPrompt: You are the worker.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: $WORKER_KEY
                  baseURL: %s
                  maxRetries: 0
                tools: [current_time]
                """.formatted(fake.openAiBaseUrl()));
        TestServer.writeAgent(home, "echo", """
                systemPrompt: You echo.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: $WORKER_KEY
                  baseURL: %s
                  maxRetries: 0
                """.formatted(fake.openAiBaseUrl()));
        server = TestServer.start(home, Map.of("WORKER_KEY", "worker-llm-key"));
        server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
        server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
        alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
        bob = server.as(server.login("bob", IdentityTest.BOB_PASSWORD));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.close();
    }

    @Test
    void oneListServesTheRegistryShapeWithEachProductsFields() {
        JsonNode list = alice.get("/api/agents").json();
        List<String> installed = ids(list.path("installed"));
        assertThat(installed).contains("default", "worker");
        JsonNode worker = find(list.path("installed"), "worker");
        assertThat(worker.path("name").asText()).isEqualTo("Worker");
        assertThat(worker.path("status").asText()).isEqualTo("idle");
        assertThat(worker.path("model").path("model").asText()).isEqualTo("test-model");
        assertThat(worker.path("type").asText()).isEqualTo("custom");
        assertThat(ids(list.path("available"))).contains("researcher", "writer", "coordinator", "coder")
                .doesNotContainAnyElementsOf(installed);
        assertThat(list.path("current").path("id").asText()).isEqualTo("default");
        assertThat(alice.get("/api/agents/current").json().path("id").asText()).isEqualTo("default");
        JsonNode one = alice.get("/api/agents/worker").json();
        assertThat(one.path("systemPrompt").asText()).isEqualTo("You are the worker.");
        assertThat(one.path("coordinator").asBoolean()).isFalse();
    }

    @Test
    void definitionsAreCreatedChangedAndDeletedByAdministratorsOnly() {
        TestServer.Reply created = server.post("/api/agents", Map.of("name", "Helper Bot",
                "description", "Helps", "systemPrompt", "You help.", "tools", List.of("current_time")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("id").asText()).isEqualTo("helper-bot");
        assertThat(created.json().path("status").asText()).isIn("idle", "unconfigured");
        assertThat(alice.get("/api/agents/helper-bot").json().path("description").asText()).isEqualTo("Helps");

        assertThat(alice.post("/api/agents", Map.of("name", "Mine")).status()).isEqualTo(403);
        assertThat(alice.patch("/api/agents/helper-bot", Map.of("description", "hijacked")).status()).isEqualTo(403);
        assertThat(alice.delete("/api/agents/helper-bot").status()).isEqualTo(403);
        assertThat(alice.post("/api/agents/helper-bot/pause", Map.of()).status()).isEqualTo(403);

        TestServer.Reply patched = server.patch("/api/agents/helper-bot", Map.of("description", "Helps more"));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(server.get("/api/agents/helper-bot").json().path("description").asText()).isEqualTo("Helps more");
        assertThat(server.post("/api/agents", Map.of("id", "helper-bot", "name", "Again")).status()).isEqualTo(409);

        assertThat(server.delete("/api/agents/helper-bot").status()).isEqualTo(200);
        assertThat(server.get("/api/agents/helper-bot").status()).isEqualTo(404);
    }

    @Test
    void theCoordinatorCannotBeDeleted() {
        TestServer.Reply refused = server.delete("/api/agents/default");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("conflict");
        assertThat(refused.json().path("error").path("details").path("reason").asText()).isEqualTo("agent_protected");
        assertThat(refused.json().path("error").path("message").asText()).contains("coordinator");
        assertThat(server.post("/api/agents/uninstall", Map.of("id", "default")).status()).isEqualTo(409);
        assertThat(server.get("/api/agents/default").status()).isEqualTo(200);
    }

    @Test
    void messagesPausesAndEventsWorkOnTheSameResource() {
        TestServer.Reply answered = alice.post("/api/agents/echo/message", Map.of("message", "hi", "wait", true));
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        assertThat(answered.json().path("response").asText()).isEqualTo("Hello");
        String session = answered.json().path("sessionId").asText();
        assertThat(alice.get("/api/sessions/" + session).json().path("session").path("agentId").asText())
                .isEqualTo("echo");

        JsonNode page = alice.get("/api/agents/echo/events?after=0").json();
        List<String> names = new ArrayList<>();
        page.path("events").forEach(e -> names.add(e.path("type").asText()));
        assertThat(names).contains("run:started", "llm:response", "run:complete");
        assertThat(page.path("hasMore").asBoolean()).isFalse();
        long cursor = page.path("nextCursor").asLong();
        assertThat(cursor).isEqualTo(page.path("events").get(page.path("events").size() - 1).path("seq").asLong());
        assertThat(page.path("events").get(0).path("data").path("sessionId").asText()).isEqualTo(session);
        JsonNode limited = alice.get("/api/agents/echo/events?after=0&limit=2").json();
        assertThat(limited.path("events")).hasSize(2);
        assertThat(limited.path("hasMore").asBoolean()).isTrue();
        // another user sees none of Alice's conversation
        assertThat(bob.get("/api/agents/echo/events?after=0").json().path("events")).isEmpty();

        assertThat(server.post("/api/agents/echo/pause", Map.of()).json().path("status").asText())
                .isEqualTo("paused");
        int before = fake.requests().size();
        TestServer.Reply queued = alice.post("/api/agents/echo/message", Map.of("message", "while paused",
                "sessionId", session));
        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.json().path("paused").asBoolean()).isTrue();
        assertThat(fake.requests()).hasSize(before);
        assertThat(alice.get("/api/agents/echo").json().path("status").asText()).isEqualTo("paused");
        assertThat(server.post("/api/agents/echo/resume", Map.of()).json().path("changed").asBoolean()).isTrue();
        await(() -> fake.requests().size() > before);
        await(() -> alice.get("/api/agents/echo/events?after=" + cursor).json().path("events").size() > 2);
    }

    @Test
    void configIsSavedWithABackupAndAppliedWithoutARestart() throws Exception {
        JsonNode config = alice.get("/api/agent/config?agentId=worker").json();
        String yaml = config.path("yaml").asText();
        assertThat(yaml).contains("# the worker's own comment").contains("$WORKER_KEY");
        assertThat(alice.get("/api/agent/path?agentId=worker").json().path("relativePath").asText())
                .isEqualTo("agents/worker.yml");

        String changed = yaml.replace("You are the worker.", "You are the worker. Answer in French.");
        assertThat(alice.post("/api/agent/config", Map.of("agentId", "worker", "yaml", changed)).status())
                .isEqualTo(403);
        TestServer.Reply saved = server.post("/api/agent/config", Map.of("agentId", "worker", "yaml", changed));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().path("reloaded").asBoolean()).isTrue();
        assertThat(saved.json().path("restarted").asBoolean()).isFalse();
        assertThat(saved.json().path("changesApplied").toString()).contains("systemPrompt");
        assertThat(Files.readString(home.resolve("agents/worker.yml.bak"))).contains("You are the worker.\n");
        assertThat(Files.readString(home.resolve("agents/worker.yml"))).contains("# the worker's own comment");

        // the very next message uses the new prompt: the same server, no restart
        TestServer.Reply answered = alice.post("/api/agents/worker/message", Map.of("message", "hi", "wait", true));
        assertThat(answered.json().path("response").asText()).isEqualTo("Bonjour");

        // a literal key in a file is never shown, and saving the shown text back keeps it
        String shown = alice.get("/api/agent/config").json().path("yaml").asText();
        assertThat(shown).doesNotContain("test-llm-key").contains("apiKey: \"********\"");
        assertThat(server.post("/api/agent/config", Map.of("yaml", shown)).status()).isEqualTo(200);
        assertThat(Files.readString(home.resolve("agents/default.yml"))).contains("apiKey: test-llm-key");

        TestServer.Reply export = alice.get("/api/agent/config/export?agentId=worker");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.raw().headers().firstValue("content-disposition").orElse("")).contains("worker.yml");
        assertThat(export.body()).contains("Answer in French");
    }

    @Test
    void validationPointsAtTheLineAndColumn() {
        JsonNode unknownKey = alice.post("/api/agent/validate", Map.of("yaml",
                "name: X\nsystemPrompt: hi\nllm:\n  provider: openai\n  modle: gpt-4o\n")).json();
        assertThat(unknownKey.path("valid").asBoolean()).isFalse();
        JsonNode error = unknownKey.path("errors").get(0);
        assertThat(error.path("line").asInt()).isEqualTo(5);
        assertThat(error.path("column").asInt()).isEqualTo(3);
        assertThat(error.path("path").asText()).isEqualTo("llm.modle");
        assertThat(error.path("message").asText()).contains("unknown key");

        JsonNode syntax = alice.post("/api/agent/validate", Map.of("yaml", "name: X\ntools: [current_time\n")).json();
        assertThat(syntax.path("valid").asBoolean()).isFalse();
        assertThat(syntax.path("errors").get(0).path("line").asInt()).isPositive();
        assertThat(syntax.path("errors").get(0).path("code").asText()).isEqualTo("yaml_syntax");

        JsonNode badTool = alice.post("/api/agent/validate", Map.of("yaml", "name: X\ntools: [teleport]\n")).json();
        assertThat(badTool.path("errors").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(badTool.path("errors").get(0).path("message").asText()).contains("unknown tool 'teleport'");

        JsonNode fine = alice.post("/api/agent/validate", Map.of("yaml", "name: X\ntools: [delegate]\n")).json();
        assertThat(fine.path("valid").asBoolean()).isTrue();

        TestServer.Reply refused = server.post("/api/agent/config", Map.of("agentId", "worker",
                "yaml", "name: X\ntools: [teleport]\n"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorField()).isEqualTo("yaml");
        assertThat(refused.json().path("error").path("details").path("line").asInt()).isEqualTo(2);
        assertThat(server.get("/api/agents/worker").status()).isEqualTo(200);
    }

    @Test
    void theRegistryInstallsSwitchesAndUninstalls() throws Exception {
        assertThat(alice.post("/api/agents/validate-name", Map.of("id", "writer")).json().path("conflict").asText())
                .isEqualTo("registry");
        assertThat(alice.post("/api/agents/validate-name", Map.of("id", "worker")).json().path("conflict").asText())
                .isEqualTo("installed");
        assertThat(alice.post("/api/agents/validate-name", Map.of("id", "brand-new")).json().path("valid")
                .asBoolean()).isTrue();
        assertThat(alice.post("/api/agents/install", Map.of("id", "writer")).status()).isEqualTo(403);

        TestServer.Reply installed = server.post("/api/agents/install", Map.of("id", "writer"));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        assertThat(installed.json().path("type").asText()).isEqualTo("builtin");
        JsonNode writer = find(server.get("/api/agents").json().path("installed"), "writer");
        assertThat(writer.path("author").asText()).isEqualTo("Switchboard");
        assertThat(server.post("/api/agents/install", Map.of("id", "writer")).status()).isEqualTo(409);

        // an administrator's own file in the home's registry/ folder
        Files.createDirectories(home.resolve("registry"));
        Files.writeString(home.resolve("registry/translator.yml"), "name: Translator\nsystemPrompt: Translate.\n");
        assertThat(ids(server.get("/api/agents").json().path("available"))).contains("translator");
        assertThat(server.post("/api/agents/install", Map.of("id", "translator", "sourcePath", "translator.yml",
                "metadata", Map.of("author", "Me", "tags", List.of("lang")))).status()).isEqualTo(201);

        TestServer.Reply custom = server.post("/api/agents/custom/create", Map.of("id", "custom-one", "name",
                "Custom One", "description", "Made here", "tags", List.of("x"),
                "config", Map.of("systemPrompt", "Be custom.", "tools", List.of("current_time"))));
        assertThat(custom.status()).as(custom.body()).isEqualTo(201);
        TestServer.Reply literal = server.post("/api/agents/custom/create", Map.of("id", "leaky", "name", "L",
                "description", "d", "config", Map.of("llm", Map.of("apiKey", "sk-literal-key"))));
        assertThat(literal.status()).isEqualTo(400);
        assertThat(literal.errorField()).isEqualTo("config.llm.apiKey");

        TestServer.Reply switched = server.post("/api/agents/switch", Map.of("id", "custom-one"));
        assertThat(switched.json().path("switched").asBoolean()).isTrue();
        assertThat(alice.get("/api/agents/current").json().path("id").asText()).isEqualTo("custom-one");
        assertThat(server.delete("/api/agents/custom-one").status()).isEqualTo(409);
        assertThat(server.post("/api/agents/uninstall", Map.of("id", "custom-one")).status()).isEqualTo(409);
        assertThat(server.post("/api/agents/uninstall", Map.of("id", "custom-one", "force", true)).json()
                .path("uninstalled").asBoolean()).isTrue();
        assertThat(alice.get("/api/agents/current").json().path("id").asText()).isEqualTo("default");

        assertThat(server.post("/api/agents/uninstall", Map.of("id", "writer")).status()).isEqualTo(200);
        assertThat(server.post("/api/agents/uninstall", Map.of("id", "translator")).status()).isEqualTo(200);
        assertThat(ids(server.get("/api/agents").json().path("available"))).contains("writer", "translator");
    }

    @Test
    void globalSettingsAndAssetListings() throws Exception {
        assertThat(server.as(null).get("/api/settings/global").status()).isEqualTo(401);
        assertThat(alice.put("/api/settings/global", Map.of("theme", "dark")).status()).isEqualTo(403);
        TestServer.Reply put = server.as(TestServer.KEY).put("/api/settings/global", Map.of("theme", "dark",
                "office", Map.of("floors", 3)));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(alice.get("/api/settings/global").json().path("office").path("floors").asInt()).isEqualTo(3);

        Files.createDirectories(home.resolve("assets/scenes"));
        Files.writeString(home.resolve("assets/scenes/office.json"), "{\"name\":\"Office\",\"floor\":\"wood\"}");
        Files.writeString(home.resolve("assets/scenes/broken.json"), "{not json");
        JsonNode scenes = alice.get("/api/scenes").json();
        assertThat(scenes).hasSize(1);
        assertThat(scenes.get(0).path("id").asText()).isEqualTo("office");
        assertThat(scenes.get(0).path("name").asText()).isEqualTo("Office");
        assertThat(alice.get("/api/model-packs").json()).isEmpty();
        assertThat(alice.get("/api/environment-packs").json()).isEmpty();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(a -> ids.add(a.path("id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no " + id + " in " + list);
    }
}
