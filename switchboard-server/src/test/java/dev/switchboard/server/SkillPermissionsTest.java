package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 002's skill permission overrides, and direct calls of the tools skills declare. */
class SkillPermissionsTest {

    private static final String NOTES_SKILL = """
            ---
            name: Notes
            description: Keeps notes in files of the workspace.
            tools: [write_file, read_file, search_files]
            ---

            Write each note to notes/<topic>.txt.
            """;

    @TempDir
    Path home;

    private void agent(String baseUrl, String mode) {
        TestServer.writeAgent(home, "default", """
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 5
                  maxRetries: 0
                  timeoutSeconds: 30
                tools: [current_time, write_file, read_file]
                permissions: {mode: %s}
                """.formatted(baseUrl, mode));
    }

    private static Map<String, Object> note(String content) {
        return Map.of("path", "notes/a.txt", "content", content);
    }

    @Test
    void aDeniedActionIsRefusedToTheAgentAndToTheApiUntilItIsReset() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastMessageIsToolResult(), Reply.text("Done."));
            fake.otherwise(Reply.toolCall("write_file", "{\"path\":\"notes/a.txt\",\"content\":\"from the agent\"}"));
            agent(fake.openAiBaseUrl(), "auto-approve");
            Path file = home.resolve("workspaces/default/notes/a.txt");
            try (TestServer server = TestServer.start(home)) {
                assertThat(server.post("/api/skills/import", Map.of("content", NOTES_SKILL)).status()).isEqualTo(201);

                TestServer.Reply direct = server.post("/api/skills/notes/tools/write_file/execute", note("one"));
                assertThat(direct.status()).as(direct.body()).isEqualTo(200);
                assertThat(direct.json().path("success").asBoolean()).isTrue();
                assertThat(Files.readString(file)).isEqualTo("one");

                TestServer.Reply set = server.as(TestServer.KEY).put("/api/skills/permissions", Map.of("skillId", "notes",
                        "action", "write_file", "level", "deny"));
                assertThat(set.status()).as(set.body()).isEqualTo(201);
                assertThat(set.json().path("permission").path("level").asText()).isEqualTo("deny");
                assertThat(server.get("/api/skills/permissions").json().path("permissions").get(0)
                        .path("action").asText()).isEqualTo("write_file");

                TestServer.Reply refused = server.post("/api/skills/notes/tools/write_file/execute", note("two"));
                assertThat(refused.status()).as(refused.body()).isEqualTo(403);
                assertThat(refused.body()).contains("override of skill 'notes'");
                assertThat(Files.readString(file)).isEqualTo("one");

                // the agent's own call is refused the same way, and the model hears why
                TestServer.Reply run = server.post("/api/message-sync", Map.of("sessionId", "s1",
                        "content", "Write a note"));
                assertThat(run.status()).as(run.body()).isEqualTo(200);
                assertThat(fake.requests().getLast().messages().toString())
                        .contains("Not allowed: An administrator's permission override of skill 'notes' denies "
                                + "'write_file'");
                assertThat(Files.readString(file)).isEqualTo("one");
                // a tool the override does not name is untouched
                assertThat(server.post("/api/skills/notes/tools/read_file/execute", Map.of("path", "notes/a.txt"))
                        .json().path("data").asText()).contains("one");

                assertThat(server.delete("/api/skills/permissions/notes/write_file").status()).isEqualTo(200);
                assertThat(server.delete("/api/skills/permissions/notes/write_file").status()).isEqualTo(404);
                assertThat(server.post("/api/skills/notes/tools/write_file/execute", note("three")).status())
                        .isEqualTo(200);
                assertThat(Files.readString(file)).isEqualTo("three");

                fake.reset();
                fake.on(Match.lastMessageIsToolResult(), Reply.text("Done."));
                fake.otherwise(Reply.toolCall("write_file", "{\"path\":\"notes/a.txt\",\"content\":\"agent\"}"));
                assertThat(server.post("/api/message-sync", Map.of("sessionId", "s2", "content", "Write"))
                        .status()).isEqualTo(200);
                assertThat(Files.readString(file)).isEqualTo("agent");

                assertThat(server.as(TestServer.KEY).put("/api/skills/permissions", Map.of("skillId", "notes", "action", "*",
                        "level", "deny")).status()).isEqualTo(201);
            }
            // overrides are stored: after a restart the skill's '*' still denies every tool it declares
            try (TestServer server = TestServer.start(home)) {
                assertThat(server.get("/api/skills/permissions").json().path("count").asInt()).isEqualTo(1);
                assertThat(server.post("/api/skills/notes/tools/read_file/execute", Map.of("path", "notes/a.txt"))
                        .status()).isEqualTo(403);
            }
        }
    }

    @Test
    void allowAndAskOverridesLoosenAndTightenTheAgentsMode() throws Exception {
        agent("http://127.0.0.1:9", "manual");
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/skills/import", Map.of("content", NOTES_SKILL));
            // manual mode asks a person, which a direct call cannot do
            TestServer.Reply asks = server.post("/api/skills/notes/tools/write_file/execute", note("x"));
            assertThat(asks.status()).as(asks.body()).isEqualTo(403);
            assertThat(asks.body()).contains("needs a person's approval");

            server.as(TestServer.KEY).put("/api/skills/permissions", Map.of("skillId", "notes", "action", "*", "level", "allow"));
            assertThat(server.post("/api/skills/notes/tools/write_file/execute", note("x")).status()).isEqualTo(200);

            // the override naming the tool wins over the skill's '*'
            TestServer.Reply replaced = server.as(TestServer.KEY).put("/api/skills/permissions", Map.of("skillId", "notes",
                    "action", "write_file", "level", "ask"));
            assertThat(replaced.status()).isEqualTo(201);
            assertThat(server.post("/api/skills/notes/tools/write_file/execute", note("y")).status()).isEqualTo(403);
            assertThat(server.as(TestServer.KEY).put("/api/skills/permissions", Map.of("skillId", "notes", "action", "write_file",
                    "level", "allow")).status()).isEqualTo(200);
            assertThat(server.post("/api/skills/notes/tools/write_file/execute", note("y")).status()).isEqualTo(200);
            assertThat(Files.readString(home.resolve("workspaces/default/notes/a.txt"))).isEqualTo("y");
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndOnlyAdministratorsWrite() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), "rateLimits: {loginPerIpPerMinute: 100}\n");
        agent("http://127.0.0.1:9", "auto-approve");
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/skills/import", Map.of("content", NOTES_SKILL));
            Map<Map<String, Object>, String> cases = Map.of(
                    Map.of("skillId", "notes", "action", "write_file", "level", "maybe"), "level",
                    Map.of("skillId", "nope", "action", "write_file", "level", "deny"), "skillId",
                    Map.of("skillId", "notes", "action", "run_command", "level", "deny"), "action",
                    Map.of("skillId", "notes", "level", "deny"), "action",
                    Map.of("skillId", "notes", "action", "write_file", "level", "deny", "extra", 1), "extra",
                    Map.of("skillId", "notes", "action", 5, "level", "deny"), "action");
            for (var c : cases.entrySet()) {
                TestServer.Reply reply = server.as(TestServer.KEY).put("/api/skills/permissions", c.getKey());
                assertThat(reply.status()).as(reply.body()).isEqualTo(400);
                assertThat(reply.errorField()).as(reply.body()).isEqualTo(c.getValue());
            }
            assertThat(server.get("/api/skills/permissions").json().path("count").asInt()).isZero();

            assertThat(server.post("/api/skills/nope/tools/write_file/execute", note("x")).status()).isEqualTo(404);
            assertThat(server.post("/api/skills/notes/tools/run_command/execute", Map.of()).status()).isEqualTo(404);
            TestServer.Reply badArgs = server.post("/api/skills/notes/tools/write_file/execute", Map.of("path", "a"));
            assertThat(badArgs.status()).as(badArgs.body()).isEqualTo(400);
            assertThat(badArgs.errorField()).isEqualTo("body");
            // declared by the skill but not among the agent's tools
            assertThat(server.post("/api/skills/notes/tools/search_files/execute", Map.of("pattern", "x"))
                    .status()).isEqualTo(409);
            assertThat(server.post("/api/skills/notes/tools/write_file/execute?agentId=ghost", note("x")).status())
                    .isEqualTo(404);

            server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
            TestServer.Client alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
            assertThat(alice.put("/api/skills/permissions", Map.of("skillId", "notes", "action", "*",
                    "level", "allow")).status()).isEqualTo(403);
            assertThat(server.as(TestServer.KEY).put("/api/skills/permissions", Map.of("skillId", "notes", "action", "read_file",
                    "level", "deny")).status()).isEqualTo(201);
            assertThat(alice.delete("/api/skills/permissions/notes/read_file").status()).isEqualTo(403);
            assertThat(alice.get("/api/skills/permissions").json().path("count").asInt()).isEqualTo(1);
            // a user's direct call goes through the same policy as the agent's calls
            assertThat(alice.post("/api/skills/notes/tools/write_file/execute", note("alice")).status())
                    .isEqualTo(200);
            assertThat(alice.post("/api/skills/notes/tools/read_file/execute", Map.of("path", "notes/a.txt"))
                    .status()).isEqualTo(403);
        }
    }
}
