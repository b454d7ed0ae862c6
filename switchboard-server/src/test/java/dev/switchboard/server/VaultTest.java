package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault through the API, as agents use it, and at rest: values go in and never come out but to agents. */
class VaultTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void startTheModel() {
        fake = FakeLlmServer.start();
        fake.otherwise(Reply.text("Hello from the model."));
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    /** The default agent on the fake model, its key given as {@code apiKey} (or none when null). */
    private void agentWithKey(String apiKey) {
        TestServer.writeAgent(home, "default", """
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  baseURL: %s
                  maxRetries: 0
                %s""".formatted(fake.openAiBaseUrl(), apiKey == null ? "" : "  apiKey: " + apiKey + "\n"));
    }

    @Test
    void storedValuesReachNoFileOfTheHomeAndNoResponse() throws Exception {
        agentWithKey("$VAULT:beta");
        List<String> values = List.of("vault-plain-Alpha-7f3c9e21d4b8a6f0", "sk-proj-Bravo-0a9b8c7d6e5f4a3b2c1d",
                "cred-Charlie-55aa66bb77cc88dd", "sk-ant-Delta-1122334455667788", "vault-rotated-Echo-998877665544",
                "tiny-Foxtrot9");
        List<String> responses = new ArrayList<>();
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply alpha = server.post("/api/vault", Map.of("name", "alpha", "value", values.get(0),
                    "description", "first"));
            assertThat(alpha.status()).as(alpha.body()).isEqualTo(201);
            assertThat(alpha.json().path("entry").path("hint").asText()).isEqualTo("vault...a6f0");
            responses.add(alpha.body());
            responses.add(server.post("/api/vault", Map.of("name", "beta", "value", values.get(1))).body());
            TestServer.Reply credentials = server.post("/api/agents/default/credentials",
                    Map.of("credentials", Map.of("charlie", values.get(2))));
            assertThat(credentials.status()).as(credentials.body()).isEqualTo(201);
            assertThat(credentials.json().path("entries").get(0).path("allowedAgents").toString())
                    .isEqualTo("[\"default\"]");
            responses.add(credentials.body());
            responses.add(server.post("/api/llm/key", Map.of("provider", "anthropic", "apiKey", values.get(3)))
                    .body());
            String alphaId = alpha.json().path("entry").path("id").asText();
            TestServer.Reply rotated = server.post("/api/vault/" + alphaId + "/rotate", Map.of("value", values.get(4)));
            assertThat(rotated.json().path("entry").path("version").asInt()).isEqualTo(2);
            responses.add(rotated.body());
            TestServer.Reply tiny = server.post("/api/vault", Map.of("name", "tiny", "value", values.get(5)));
            assertThat(tiny.json().path("entry").path("hint").asText()).isEqualTo("****");
            responses.add(tiny.body());

            TestServer.Reply list = server.get("/api/vault");
            assertThat(list.json().path("entries")).hasSize(5);
            responses.add(list.body());
            TestServer.Reply key = server.get("/api/llm/key/anthropic");
            assertThat(key.json().path("keyValue").asText()).isEqualTo("sk-an...7788");
            assertThat(key.json().path("source").asText()).isEqualTo("vault");
            responses.add(key.body());

            // the agent reads one: the value goes to the model provider and nowhere else
            TestServer.Reply sync = server.post("/api/message-sync", Map.of("sessionId", "s", "content", "hi"));
            assertThat(sync.status()).as(sync.body()).isEqualTo(200);
            assertThat(fake.requests().getLast().header("Authorization")).isEqualTo("Bearer " + values.get(1));
            responses.add(server.get("/api/admin/audit?type=vault.").body());
            responses.add(server.get("/api/sessions/s/history").body());

            for (String body : responses) {
                for (String value : values) {
                    assertThat(body).doesNotContain(value).doesNotContain(middle(value));
                }
            }
            // while the server runs, SQLite's write-ahead log holds the newest pages
            assertThat(Files.exists(home.resolve("data/switchboard.db-wal"))).isTrue();
            assertNoFileHolds(home, values);
        }
        assertNoFileHolds(home, values);
        // the scan does find a value where there is one
        Path planted = Files.writeString(home.resolve("data/planted.bin"), "xx" + middle(values.get(3)) + "yy");
        assertThatThrownBy(() -> assertNoFileHolds(home, values)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("planted.bin");
        Files.delete(planted);
    }

    @Test
    void updateChangesMetadataRotationChangesTheValueAndTheNextCallUsesIt() {
        agentWithKey("$VAULT:openai");
        try (TestServer server = TestServer.start(home)) {
            String id = server.post("/api/vault", Map.of("name", "openai", "value", "sk-first-value-000000000001"))
                    .json().path("entry").path("id").asText();
            server.post("/api/vault", Map.of("name", "other", "value", "another-value-0000000000"));
            assertThat(send(server, "one")).isEqualTo("Bearer sk-first-value-000000000001");

            TestServer.Reply patched = server.patch("/api/vault/" + id, Map.of("description", "the OpenAI key",
                    "allowedAgents", List.of("default"), "allowedTools", List.of("llm")));
            assertThat(patched.status()).as(patched.body()).isEqualTo(200);
            assertThat(patched.json().path("entry").path("description").asText()).isEqualTo("the OpenAI key");
            assertThat(patched.json().path("entry").path("version").asInt()).isEqualTo(1);
            assertThat(patched.json().path("entry").has("rotatedAt")).isFalse();
            TestServer.Reply withValue = server.patch("/api/vault/" + id, Map.of("value", "sneaky"));
            assertThat(withValue.status()).isEqualTo(400);
            assertThat(withValue.errorField()).isEqualTo("value");
            assertThat(server.patch("/api/vault/" + id, Map.of("name", "other")).status()).isEqualTo(409);
            assertThat(server.post("/api/vault", Map.of("name", "openai", "value", "x")).status()).isEqualTo(409);
            assertThat(server.post("/api/vault", Map.of("name", "bad name", "value", "x")).errorField())
                    .isEqualTo("name");
            assertThat(server.post("/api/vault", Map.of("name", "n", "value", "x", "expiresAt", "yesterday"))
                    .errorField()).isEqualTo("expiresAt");
            assertThat(server.post("/api/vault", Map.of("name", "n", "value", "x", "allowedAgents", "default"))
                    .errorField()).isEqualTo("allowedAgents");
            assertThat(server.post("/api/vault", Map.of("name", "n", "value", "x", "color", "red")).errorField())
                    .isEqualTo("color");

            TestServer.Reply rotated = server.post("/api/vault/" + id + "/rotate",
                    Map.of("value", "sk-second-value-00000000002"));
            JsonNode entry = rotated.json().path("entry");
            assertThat(entry.path("version").asInt()).isEqualTo(2);
            assertThat(entry.path("rotatedAt").asLong()).isPositive();
            assertThat(entry.path("hint").asText()).isEqualTo("sk-se...0002");
            assertThat(entry.path("description").asText()).isEqualTo("the OpenAI key");
            assertThat(send(server, "two")).isEqualTo("Bearer sk-second-value-00000000002");

            assertThat(server.delete("/api/vault/" + id).status()).isEqualTo(200);
            assertThat(server.delete("/api/vault/" + id).status()).isEqualTo(404);
            TestServer.Reply failed = server.post("/api/message-sync", Map.of("sessionId", "s", "content", "three"));
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.json().path("error").path("message").asText()).contains("$VAULT:openai")
                    .contains("not found").doesNotContain("sk-second");
        }
    }

    @Test
    void allowedAgentsToolsAndExpiryRefuseTheAgentAndEveryReadIsAudited() throws Exception {
        agentWithKey("${VAULT:restricted}");
        try (TestServer server = TestServer.start(home)) {
            String id = server.post("/api/vault", Map.of("name", "restricted", "value", "restricted-value-00000001",
                    "allowedAgents", List.of("another-agent"))).json().path("entry").path("id").asText();
            assertRefused(server, "agent not allowed");

            server.patch("/api/vault/" + id, Map.of("allowedAgents", List.of(), "allowedTools", List.of("mcp__*")));
            assertRefused(server, "tool not allowed");

            Instant expires = Instant.now().plusMillis(1500);
            server.patch("/api/vault/" + id, Map.of("allowedTools", List.of("llm"), "expiresAt", expires.toString()));
            assertThat(send(server, "in time")).isEqualTo("Bearer restricted-value-00000001");
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis() + 50));
            assertThat(server.get("/api/vault").json().path("entries").get(0).path("expired").asBoolean()).isTrue();
            assertRefused(server, "expired");
            assertThat(fake.requests()).hasSize(1);

            JsonNode events = server.get("/api/admin/audit?type=vault.read").json().path("events");
            List<String> seen = new ArrayList<>();
            for (JsonNode event : events) {
                assertThat(event.path("actorId").asText()).isEqualTo("agent:default");
                assertThat(event.path("targetId").asText()).isEqualTo(id);
                assertThat(event.path("details").path("consumer").asText()).isEqualTo("llm");
                seen.add(event.path("outcome").asText() + ":" + event.path("details").path("reason").asText(""));
            }
            assertThat(seen).containsExactly("denied:expired", "success:", "denied:tool_not_allowed",
                    "denied:agent_not_allowed");
            assertThat(events.toString()).doesNotContain("restricted-value");
            assertThat(server.get("/api/admin/audit?type=vault.update").json().path("events")).hasSize(2);
        }
    }

    @Test
    void anotherUserCanNeitherSeeNorChangeAnEntryAndOnlyAdminsManageProviderKeys() {
        agentWithKey("test-llm-key");
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
            server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
            TestServer.Client alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
            TestServer.Client bob = server.as(server.login("bob", IdentityTest.BOB_PASSWORD));
            String id = alice.post("/api/vault", Map.of("name", "github", "value", "alice-github-token-000001"))
                    .json().path("entry").path("id").asText();

            assertThat(bob.get("/api/vault").json().path("entries")).isEmpty();
            assertThat(server.get("/api/vault").json().path("entries")).isEmpty();
            assertThat(bob.patch("/api/vault/" + id, Map.of("description", "mine")).status()).isEqualTo(404);
            assertThat(bob.post("/api/vault/" + id + "/rotate", Map.of("value", "bobs-value-000000000001")).status())
                    .isEqualTo(404);
            assertThat(bob.delete("/api/vault/" + id).status()).isEqualTo(404);
            assertThat(server.delete("/api/vault/" + id).status()).isEqualTo(404);
            // names are unique per owner only
            assertThat(bob.post("/api/vault", Map.of("name", "github", "value", "bob-github-token-0000001"))
                    .status()).isEqualTo(201);

            JsonNode mine = alice.get("/api/vault").json().path("entries");
            assertThat(mine).hasSize(1);
            assertThat(mine.get(0).path("version").asInt()).isEqualTo(1);
            assertThat(mine.get(0).has("description")).isFalse();

            assertThat(bob.post("/api/llm/key", Map.of("provider", "openai", "apiKey", "sk-bob-0000000000000")).status())
                    .isEqualTo(403);
            assertThat(bob.get("/api/llm/key/openai").status()).isEqualTo(403);
            assertThat(server.get("/api/llm/key/openai").json().path("hasKey").asBoolean()).isFalse();
        }
    }

    @Test
    void aProviderKeyStoredThroughTheApiServesAgentsWithoutAKeyAtOnce() {
        agentWithKey(null);
        TestServer.writeAgent(home, "bare", "systemPrompt: No llm section at all.\n");
        // the bare agent, once it picks OpenAI, calls it at the fake model
        try (TestServer server = TestServer.start(home, Map.of("OPENAI_BASE_URL", fake.openAiBaseUrl()))) {
            JsonNode before = server.get("/api/llm/key/openai-compatible").json();
            assertThat(before.path("envVar").asText()).isEqualTo("OPENAI_API_KEY");
            assertThat(before.path("hasKey").asBoolean()).isFalse();
            assertThat(before.path("keyValue").isNull()).isTrue();

            TestServer.Reply unknown = server.post("/api/llm/key", Map.of("provider", "skynet", "apiKey", "k"));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.errorField()).isEqualTo("provider");
            assertThat(server.get("/api/llm/key/skynet").errorField()).isEqualTo("provider");
            assertThat(server.post("/api/llm/key", Map.of("provider", "openai")).errorField()).isEqualTo("apiKey");

            TestServer.Reply stored = server.post("/api/llm/key", Map.of("provider", "openai-compatible",
                    "apiKey", "sk-compat-key-0000000000001"));
            assertThat(stored.json().path("ok").asBoolean()).isTrue();
            assertThat(stored.json().path("envVar").asText()).isEqualTo("OPENAI_API_KEY");
            assertThat(send(server, "now")).isEqualTo("Bearer sk-compat-key-0000000000001");
            JsonNode after = server.get("/api/llm/key/openai-compatible").json();
            assertThat(after.path("keyValue").asText()).isEqualTo("sk-co...0001");

            // an agent with no provider at all picks up a stored OpenAI key
            assertThat(server.post("/api/sessions", Map.of("sessionId", "b", "agentId", "bare")).status())
                    .isEqualTo(201);
            TestServer.Reply bare = server.post("/api/message-sync", Map.of("sessionId", "b", "content", "hi"));
            assertThat(bare.status()).isEqualTo(503);
            assertThat(bare.json().path("error").path("message").asText()).contains("/api/llm/key");
            server.post("/api/llm/key", Map.of("provider", "openai", "apiKey", "sk-openai-key-0000000000001"));
            assertThat(server.get("/api/llm/key/openai").json().path("source").asText()).isEqualTo("vault");
            TestServer.Reply picked = server.post("/api/message-sync", Map.of("sessionId", "b", "content", "hi"));
            assertThat(picked.status()).as(picked.body()).isEqualTo(200);
            assertThat(fake.requests().getLast().header("Authorization"))
                    .isEqualTo("Bearer sk-openai-key-0000000000001");

            server.post("/api/llm/key", Map.of("provider", "openai-compatible", "apiKey", "sk-compat-key-000000002"));
            assertThat(send(server, "rotated")).isEqualTo("Bearer sk-compat-key-000000002");
            JsonNode entries = server.get("/api/vault").json().path("entries");
            assertThat(entries).hasSize(2);
            assertThat(entries.get(1).path("name").asText()).isEqualTo("llm.openai-compatible");
            assertThat(entries.get(1).path("version").asInt()).isEqualTo(2);
            server.restart();
            assertThat(send(server, "after restart")).isEqualTo("Bearer sk-compat-key-000000002");
        }
    }

    @Test
    void aStoredKeyWinsOverTheEnvironmentVariableOfItsProviderUntilItIsDeleted() {
        agentWithKey(null);
        try (TestServer server = TestServer.start(home, Map.of("OPENAI_API_KEY", "sk-from-environment-0001"))) {
            JsonNode fromEnv = server.get("/api/llm/key/openai-compatible").json();
            assertThat(fromEnv.path("source").asText()).isEqualTo("environment");
            assertThat(fromEnv.path("keyValue").asText()).isEqualTo("sk-fr...0001");
            assertThat(send(server, "env")).isEqualTo("Bearer sk-from-environment-0001");
            server.post("/api/llm/key", Map.of("provider", "openai-compatible", "apiKey", "sk-from-vault-00000001"));
            assertThat(send(server, "vault")).isEqualTo("Bearer sk-from-vault-00000001");
            assertThat(server.get("/api/llm/key/openai-compatible").json().path("source").asText())
                    .isEqualTo("vault");

            // deleting the stored key through the vault's own route brings the environment's back at once
            String id = server.get("/api/vault").json().path("entries").get(0).path("id").asText();
            assertThat(server.delete("/api/vault/" + id).status()).isEqualTo(200);
            assertThat(send(server, "env again")).isEqualTo("Bearer sk-from-environment-0001");
        }
    }

    @Test
    void credentialsForAnAgentAreEntriesOnlyThatAgentMayRead() {
        agentWithKey("$VAULT:agent-key");
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.post("/api/agents/nobody/credentials", Map.of("credentials", Map.of("k", "v")))
                    .status()).isEqualTo(404);
            assertThat(server.post("/api/agents/default/credentials", Map.of("credentials", Map.of())).errorField())
                    .isEqualTo("credentials");
            assertThat(server.post("/api/agents/default/credentials", Map.of("credentials",
                    Map.of("bad name", "v"))).errorField()).isEqualTo("credentials.bad name");
            assertThat(server.post("/api/agents/default/credentials", Map.of("credentials",
                    Map.of("k", 5))).errorField()).isEqualTo("credentials.k");

            TestServer.Reply stored = server.post("/api/agents/default/credentials", Map.of("credentials",
                    Map.of("agent-key", "agent-credential-0000001")));
            assertThat(stored.status()).isEqualTo(201);
            assertThat(send(server, "hi")).isEqualTo("Bearer agent-credential-0000001");
            TestServer.Reply again = server.post("/api/agents/default/credentials", Map.of("credentials",
                    Map.of("agent-key", "agent-credential-0000002")));
            assertThat(again.json().path("entries").get(0).path("version").asInt()).isEqualTo(2);
            assertThat(send(server, "again")).isEqualTo("Bearer agent-credential-0000002");

            server.post("/api/vault", Map.of("name", "general", "value", "general-value-000000001"));
            assertThat(server.post("/api/agents/default/credentials", Map.of("credentials",
                    Map.of("general", "x"))).status()).isEqualTo(409);
        }
    }

    @Test
    void aWrongMasterKeyFailsTheStartAndLeavesTheDataAsItWas() throws Exception {
        agentWithKey("$VAULT:openai");
        String right = randomKey();
        Map<String, String> rightEnv = Map.of("SWITCHBOARD_MASTER_KEY", right);
        try (TestServer server = TestServer.start(home, rightEnv)) {
            server.post("/api/vault", Map.of("name", "openai", "value", "sk-sealed-under-the-right-key"));
            assertThat(send(server, "before")).isEqualTo("Bearer sk-sealed-under-the-right-key");
        }
        assertThat(home.resolve("secrets/master.key")).doesNotExist();
        String before = snapshot();

        assertThatThrownBy(() -> TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", randomKey())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("master key from SWITCHBOARD_MASTER_KEY is not the key")
                .hasMessageContaining("Nothing was written");
        assertThatThrownBy(() -> TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", "not-base64-at-all!")))
                .hasMessageContaining("SWITCHBOARD_MASTER_KEY is not valid base64")
                .hasMessageNotContaining("not-base64-at-all");
        assertThatThrownBy(() -> TestServer.start(home))
                .hasMessageContaining("neither SWITCHBOARD_MASTER_KEY is set nor");
        assertThat(home.resolve("secrets/master.key")).doesNotExist();
        assertThat(snapshot()).isEqualTo(before);

        try (TestServer server = TestServer.start(home, rightEnv)) {
            assertThat(send(server, "after")).isEqualTo("Bearer sk-sealed-under-the-right-key");
            assertThat(server.get("/api/vault").json().path("entries").get(0).path("version").asInt()).isEqualTo(1);
        }
    }

    @Test
    void theKeyFileIsCreatedReadableByItsOwnerOnly() throws Exception {
        agentWithKey("test-llm-key");
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/vault", Map.of("name", "x", "value", "some-value-000000000001"));
        }
        Path file = home.resolve("secrets/master.key");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
    }

    @Test
    void aVaultReferenceInAnMcpServersHeaderIsSentWhenItConnects() throws Exception {
        Queue<String> authorizations = new ConcurrentLinkedQueue<>();
        HttpServer remote = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        remote.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "(none)" : authorization);
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        remote.start();
        try {
            TestServer.writeAgent(home, "default", """
                    systemPrompt: You are a test agent.
                    llm:
                      provider: openai-compatible
                      model: test-model
                      apiKey: test-llm-key
                      baseURL: %s
                    mcpServers:
                      remote:
                        type: http
                        url: http://127.0.0.1:%d/mcp
                        headers:
                          Authorization: Bearer ${VAULT:remote.token}
                    """.formatted(fake.openAiBaseUrl(), remote.getAddress().getPort()));
            try (TestServer server = TestServer.start(home)) {
                AgentRunTest.await(() -> server.get("/api/mcp/servers/remote").json().toString().contains("failed"));
                assertThat(server.get("/api/mcp/servers/remote").body()).contains("$VAULT:remote.token")
                        .contains("not found");
                assertThat(authorizations).isEmpty();

                server.post("/api/vault", Map.of("name", "remote.token", "value", "mcp-remote-token-000001",
                        "allowedAgents", List.of("default"), "allowedTools", List.of("mcp__remote")));
                assertThat(server.post("/api/mcp/servers/remote/restart", Map.of()).status()).isEqualTo(200);
                AgentRunTest.await(() -> !authorizations.isEmpty());
                assertThat(authorizations).first().isEqualTo("Bearer mcp-remote-token-000001");
                JsonNode reads = server.get("/api/admin/audit?type=vault.read").json().path("events");
                assertThat(reads.get(0).path("details").path("consumer").asText()).isEqualTo("mcp__remote");
                assertThat(reads.get(0).path("details").path("purpose").asText())
                        .isEqualTo("mcp.headers.Authorization");
                assertThat(server.get("/api/mcp/servers/remote").body()).doesNotContain("mcp-remote-token");
            }
        } finally {
            remote.stop(0);
        }
    }

    /** Sends a message and returns the Authorization header the model provider received for it. */
    private String send(TestServer server, String content) {
        int before = fake.requests().size();
        TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "s", "content", content));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<RecordedRequest> requests = fake.requests();
        assertThat(requests).hasSize(before + 1);
        return requests.getLast().header("Authorization");
    }

    private void assertRefused(TestServer server, String reason) {
        TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "s", "content", "go"));
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().path("error").path("message").asText()).contains("${VAULT:restricted}")
                .contains(reason).doesNotContain("restricted-value");
    }

    /** The vault's rows and the counts of what else a start could write, as text. */
    private String snapshot() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data/switchboard.db"))) {
            for (String sql : List.of("SELECT * FROM vault_master", "SELECT * FROM vault_data_keys ORDER BY owner_id",
                    "SELECT * FROM vault_entries ORDER BY id", "SELECT COUNT(*) FROM audit_events",
                    "SELECT COUNT(*) FROM messages", "SELECT status FROM runs ORDER BY id")) {
                try (ResultSet rows = c.createStatement().executeQuery(sql)) {
                    while (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            out.append(rows.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The part of a value the masked hint never shows. */
    static String middle(String value) {
        return value.length() < 16 ? value : value.substring(5, value.length() - 4);
    }

    /** Reads every file under {@code root} byte by byte, looking for each value and its hidden middle. */
    static void assertNoFileHolds(Path root, List<String> values) throws IOException {
        int files = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                files++;
                for (String value : values) {
                    for (String needle : List.of(value, middle(value))) {
                        assertThat(indexOf(bytes, needle.getBytes(StandardCharsets.UTF_8)))
                                .as("%s holds a stored secret", root.relativize(file)).isEqualTo(-1);
                    }
                }
            }
        }
        assertThat(files).isPositive();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
