package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault with the server on PostgreSQL (127.0.0.1:5432, database test), in a schema of its own. */
class VaultPostgresTest {

    private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path home;

    String schema = "sb_vault_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void createSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null)) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void valuesStaySealedInEveryTableRotateAndAWrongKeyFailsTheStart() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), """
                database:
                  url: %s?currentSchema=%s
                  user: postgres
                """.formatted(DATABASE, schema));
        List<String> values = List.of("pg-vault-Alpha-0011223344556677", "pg-vault-Bravo-8899aabbccddeeff",
                "pg-provider-Charlie-0123456789ab");
        String key = VaultTest.randomKey();
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("Hello from PostgreSQL."));
            TestServer.writeAgent(home, "default", """
                    llm:
                      provider: openai-compatible
                      model: test-model
                      apiKey: $VAULT:alpha
                      baseURL: %s
                      maxRetries: 0
                    """.formatted(fake.openAiBaseUrl()));
            try (TestServer server = TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", key))) {
                String id = server.post("/api/vault", Map.of("name", "alpha", "value", values.get(0))).json()
                        .path("entry").path("id").asText();
                assertThat(server.post("/api/vault", Map.of("name", "alpha", "value", "x")).status()).isEqualTo(409);
                assertThat(server.post("/api/llm/key", Map.of("provider", "anthropic", "apiKey", values.get(2)))
                        .status()).isEqualTo(200);
                assertThat(call(server, fake)).isEqualTo("Bearer " + values.get(0));
                server.post("/api/vault/" + id + "/rotate", Map.of("value", values.get(1)));
                assertThat(call(server, fake)).isEqualTo("Bearer " + values.get(1));

                server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
                TestServer.Client bob = server.as(server.login("bob", IdentityTest.BOB_PASSWORD));
                assertThat(bob.get("/api/vault").json().path("entries")).isEmpty();
                assertThat(bob.delete("/api/vault/" + id).status()).isEqualTo(404);

                String list = server.get("/api/vault").body();
                values.forEach(v -> assertThat(list).doesNotContain(v).doesNotContain(VaultTest.middle(v)));
            }
            assertThat(everyRowOfTheSchema()).hasSizeGreaterThan(10).allSatisfy(row -> values.forEach(v ->
                    assertThat(row).doesNotContain(v).doesNotContain(VaultTest.middle(v))));
            VaultTest.assertNoFileHolds(home, values);

            String before = String.join("\n", everyRowOfTheSchema());
            assertThatThrownBy(() -> TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", VaultTest.randomKey())))
                    .hasMessageContaining("is not the key its secrets were sealed with");
            assertThat(String.join("\n", everyRowOfTheSchema())).isEqualTo(before);

            try (TestServer server = TestServer.start(home, Map.of("SWITCHBOARD_MASTER_KEY", key))) {
                assertThat(call(server, fake)).isEqualTo("Bearer " + values.get(1));
            }
        }
    }

    private static String call(TestServer server, FakeLlmServer fake) {
        TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "pg", "content", "hi"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return fake.requests().getLast().header("Authorization");
    }

    /** Every row of every table in the schema, as JSON text. */
    private List<String> everyRowOfTheSchema() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = '" + schema + "' ORDER BY table_name")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet r = c.createStatement().executeQuery("SELECT row_to_json(t)::text FROM " + schema
                        + ".\"" + table + "\" t ORDER BY 1")) {
                    while (r.next()) {
                        rows.add(table + ": " + r.getString(1));
                    }
                }
            }
        }
        return rows;
    }
}
