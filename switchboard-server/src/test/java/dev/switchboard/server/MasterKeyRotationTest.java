package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cli.Main;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code switchboard vault rotate-master-key}: every data key re-wrapped, the values untouched and still readable. */
class MasterKeyRotationTest {

    private static final String VALUE = "sk-kept-across-rotations-000001";

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void startTheModel() {
        fake = FakeLlmServer.start();
        fake.otherwise(Reply.text("ok"));
        TestServer.writeAgent(home, "default", """
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: $VAULT:openai
                  baseURL: %s
                  maxRetries: 0
                """.formatted(fake.openAiBaseUrl()));
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    @Test
    void theCommandReplacesTheKeyFileAndTheValuesStillOpenOnlyWithTheNewKey() throws Exception {
        Map<String, String> oldKeyEnv;
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/vault", Map.of("name", "openai", "value", VALUE));
            server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
            server.as(server.login("alice", IdentityTest.ALICE_PASSWORD)).post("/api/vault",
                    Map.of("name", "mine", "value", "alice-value-0000000000001"));
            assertThat(authorizationOfACall(server, "before")).isEqualTo("Bearer " + VALUE);
        }
        Path file = home.resolve("secrets/master.key");
        String oldKey = Files.readString(file).strip();
        oldKeyEnv = Map.of("SWITCHBOARD_MASTER_KEY", oldKey);

        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Main()).execute("vault", "rotate-master-key", "--home", home.toString());
        } finally {
            System.setOut(stdout);
        }

        assertThat(exit).isZero();
        // the operator's, alice's, and the sealing keys of TOTP secrets, webhook secrets and A2A push credentials
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Re-wrapped 5 data key(s)")
                .doesNotContain(oldKey);
        String newKey = Files.readString(file).strip();
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(newKey);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(home.resolve("secrets/master.key.next")).doesNotExist();

        assertThatThrownBy(() -> TestServer.start(home, oldKeyEnv)).hasMessageContaining("is not the key");
        try (TestServer server = TestServer.start(home)) {
            assertThat(authorizationOfACall(server, "after")).isEqualTo("Bearer " + VALUE);
            String alice = server.login("alice", IdentityTest.ALICE_PASSWORD);
            assertThat(server.as(alice).get("/api/vault").json().path("entries").get(0).path("name").asText())
                    .isEqualTo("mine");
            assertThat(server.get("/api/admin/audit?type=vault.master_key.rotate").json().path("events"))
                    .hasSize(1);
        }
    }

    @Test
    void aRotationCutShortAfterTheDatabaseCommittedIsFinishedByTheNextStart() throws Exception {
        try (TestServer server = TestServer.start(home)) {
            server.post("/api/vault", Map.of("name", "openai", "value", VALUE));
        }
        Path file = home.resolve("secrets/master.key");
        String oldKey = Files.readString(file);
        rotate(Map.of());
        // as if the process died between the commit and moving the new key into place
        Files.move(file, home.resolve("secrets/master.key.next"));
        Files.writeString(file, oldKey);

        try (TestServer server = TestServer.start(home)) {
            assertThat(authorizationOfACall(server, "after")).isEqualTo("Bearer " + VALUE);
        }
        assertThat(home.resolve("secrets/master.key.next")).doesNotExist();
        assertThat(Files.readString(file)).isNotEqualTo(oldKey);
    }

    @Test
    void withTheKeyInTheEnvironmentTheNewKeyMustBeGivenAndIsNeverPrinted() throws Exception {
        String oldKey = VaultTest.randomKey();
        String newKey = VaultTest.randomKey();
        try (TestServer server = TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", oldKey))) {
            server.post("/api/vault", Map.of("name", "openai", "value", VALUE));
        }
        assertThatThrownBy(() -> rotate(Map.of("SWITCHBOARD_MASTER_KEY", oldKey)))
                .hasMessageContaining("set SWITCHBOARD_NEW_MASTER_KEY");
        assertThatThrownBy(() -> rotate(Map.of("SWITCHBOARD_MASTER_KEY", oldKey,
                "SWITCHBOARD_NEW_MASTER_KEY", oldKey))).hasMessageContaining("is the current master key");

        String printed = rotate(Map.of("SWITCHBOARD_MASTER_KEY", oldKey, "SWITCHBOARD_NEW_MASTER_KEY", newKey));

        // the operator's and the three sealing keys (TOTP, webhooks, A2A push)
        assertThat(printed).contains("Re-wrapped 4 data key(s)").doesNotContain(newKey).doesNotContain(oldKey);
        assertThat(home.resolve("secrets/master.key")).doesNotExist();
        assertThatThrownBy(() -> TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", oldKey)))
                .hasMessageContaining("is not the key");
        try (TestServer server = TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", newKey))) {
            assertThat(authorizationOfACall(server, "after")).isEqualTo("Bearer " + VALUE);
        }
    }

    private String rotate(Map<String, String> env) {
        Home h = new Home(home);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        MasterKeyRotation.rotate(h, ServerConfigFile.load(h.configFile(), env), env,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String authorizationOfACall(TestServer server, String content) {
        TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "s", "content", content));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return fake.requests().getLast().header("Authorization");
    }
}
