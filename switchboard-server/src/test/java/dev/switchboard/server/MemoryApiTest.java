package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Memories and knowledge notes over HTTP on both databases: hybrid search on a small corpus, filters, validation and
 * owner isolation.
 */
class MemoryApiTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void memoriesAreFoundByMeaningAndByWordsAndStayWithTheirOwner(String database) throws Exception {
        String schema = "sb_memory_" + UUID.randomUUID().toString().replace("-", "");
        if (database.equals("postgresql")) {
            sql("CREATE SCHEMA " + schema);
            Files.writeString(home.resolve("switchboard.yml"), """
                    database:
                      url: %s?currentSchema=%s
                      user: postgres
                    """.formatted(POSTGRES, schema));
        }
        try (TestServer server = TestServer.start(home)) {
            Map<String, String> ids = new LinkedHashMap<>();
            for (String[] line : corpus()) {
                TestServer.Reply created = server.post("/api/memory", Map.of("content", line[1],
                        "tags", List.of(line[0]), "metadata", Map.of("source", "user", "pinned", line[0].equals("health"))));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                ids.put(line[1], created.json().path("memory").path("id").asText());
            }
            // words are searchable at once; meaning once the worker has embedded every memory
            assertThat(first(server, "Biscuit")).isEqualTo(ids.get("The user's dog is named Biscuit and is a golden "
                    + "retriever"));
            assertThat(server.switchboard().retrieval().awaitEmbedded(120_000)).isTrue();

            // no word in common with the memory it should find
            assertThat(first(server, "what kind of puppy do I own?"))
                    .isEqualTo(ids.get("The user's dog is named Biscuit and is a golden retriever"));
            assertThat(first(server, "which musical instrument am I practising?"))
                    .isEqualTo(ids.get("Spends weekends learning the cello with a teacher"));
            assertThat(first(server, "nut allergy"))
                    .isEqualTo(ids.get("Allergic to peanuts; avoid recommending dishes with them"));
            // exact keywords
            assertThat(first(server, "Neovim")).isEqualTo(ids.get("Uses Neovim with a light colour scheme"));
            assertThat(first(server, "quarterly report")).isEqualTo(
                    ids.get("The quarterly report is due on the first Friday of each quarter"));

            // filters, alone and with a search
            JsonNode food = server.get("/api/memory?tags=food,travel").json().path("memories");
            assertThat(food).hasSize(4);
            assertThat(food.findValuesAsText("content")).allMatch(c -> corpusTags(c).matches("food|travel"));
            JsonNode pinned = server.get("/api/memory?pinned=true").json().path("memories");
            assertThat(pinned.findValuesAsText("content")).containsExactlyInAnyOrder(
                    "Allergic to peanuts; avoid recommending dishes with them", "Training for a half marathon in October");
            assertThat(server.get("/api/memory?source=system").json().path("memories")).isEmpty();
            assertThat(server.get("/api/memory?limit=5&offset=15").json().path("memories")).hasSize(3);
            JsonNode searchedWithFilter = server.get("/api/memory?q=" + enc("what kind of puppy do I own?")
                    + "&tags=work").json().path("memories");
            assertThat(searchedWithFilter.findValuesAsText("content")).allMatch(c -> corpusTags(c).equals("work"));

            // update, then the new words are found and the old ones are not
            String coffee = ids.get("Prefers dark roast coffee without sugar in the morning");
            TestServer.Reply updated = server.as(TestServer.KEY).put("/api/memory/" + coffee,
                    Map.of("content", "Prefers green tea in the afternoon", "metadata", Map.of("pinned", true)));
            assertThat(updated.status()).as(updated.body()).isEqualTo(200);
            assertThat(updated.json().path("memory").path("metadata").path("pinned").asBoolean()).isTrue();
            assertThat(updated.json().path("memory").path("tags").get(0).asText()).isEqualTo("food");
            assertThat(first(server, "green tea")).isEqualTo(coffee);

            // seed 003: an agent's memories with category and importance, and the list across agents
            TestServer.Reply agentMemory = server.post("/api/agents/default/memories", Map.of("content",
                    "Answers in British English", "category", "preference", "importance", 0.9));
            assertThat(agentMemory.status()).as(agentMemory.body()).isEqualTo(201);
            assertThat(agentMemory.json().path("memory").path("agentId").asText()).isEqualTo("default");
            assertThat(server.get("/api/agents/default/memories").json().path("memories")).hasSize(1);
            assertThat(server.get("/api/memories").json().path("memories")).hasSize(19);
            assertThat(server.get("/api/agents/nobody/memories").status()).isEqualTo(404);
            String agentMemoryId = agentMemory.json().path("memory").path("id").asText();
            assertThat(server.delete("/api/agents/default/memories/" + ids.get("Uses Neovim with a light colour scheme")).status()).isEqualTo(404);
            assertThat(server.delete("/api/agents/default/memories/" + agentMemoryId).status()).isEqualTo(200);

            // another user sees none of it, by listing, searching or id
            server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
            TestServer.Client bob = server.as(server.login("bob", IdentityTest.BOB_PASSWORD));
            assertThat(bob.get("/api/memory").json().path("memories")).isEmpty();
            assertThat(bob.get("/api/memory?q=Biscuit").json().path("memories")).isEmpty();
            assertThat(bob.get("/api/memory?q=" + enc("what kind of puppy do I own?")).json().path("memories"))
                    .isEmpty();
            assertThat(bob.get("/api/memory/" + coffee).status()).isEqualTo(404);
            assertThat(bob.delete("/api/memory/" + coffee).status()).isEqualTo(404);
            assertThat(server.get("/api/memory/" + coffee).status()).isEqualTo(200);

            // delete
            assertThat(server.delete("/api/memory/" + coffee).status()).isEqualTo(200);
            assertThat(server.get("/api/memory/" + coffee).status()).isEqualTo(404);
            assertThat(server.get("/api/memory?q=" + enc("green tea")).json().path("memories")
                    .findValuesAsText("id")).doesNotContain(coffee);
        } finally {
            if (database.equals("postgresql")) {
                sql("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void badMemoriesAndNotesAreRefusedNamingTheField(String database) throws Exception {
        try (TestServer server = TestServer.start(home)) {
            assertField(server.post("/api/memory", Map.of("content", "")), "content");
            assertField(server.post("/api/memory", Map.of()), "content");
            assertField(server.post("/api/memory", Map.of("content", "x".repeat(10_001))), "content");
            List<String> eleven = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                eleven.add("tag" + i);
            }
            assertField(server.post("/api/memory", Map.of("content", "ok", "tags", eleven)), "tags");
            assertField(server.post("/api/memory", Map.of("content", "ok", "tags", List.of("x".repeat(51)))),
                    "tags[0]");
            assertField(server.post("/api/memory", Map.of("content", "ok", "tags", List.of(""))), "tags[0]");
            assertField(server.post("/api/memory", Map.of("content", "ok", "metadata", Map.of("source", "robot"))),
                    "metadata.source");
            assertField(server.post("/api/memory", Map.of("content", "ok", "importance", 2)), "importance");
            assertField(server.post("/api/memory", Map.of("content", "ok", "colour", "red")), "colour");
            assertField(server.get("/api/memory?limit=0"), "limit");
            assertField(server.get("/api/memory?source=robot"), "source");
            assertField(server.get("/api/memory?pinned=maybe"), "pinned");
            assertThat(server.as(TestServer.KEY).put("/api/memory/mem_missing", Map.of("content", "x")).status())
                    .isEqualTo(404);

            assertField(server.post("/v1/knowledge/notes", Map.of("body", "no title")), "title");
            assertField(server.post("/v1/knowledge/notes", Map.of("title", "t", "body", "b", "context", "always")),
                    "context");
            assertThat(server.get("/api/memory").json().path("memories")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void notesAreKeptSearchedAndEdited(String database) throws Exception {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply garden = server.post("/v1/knowledge/notes", Map.of("title", "Garden plan",
                    "body", "Tomatoes along the south fence, courgettes in the raised bed", "summary",
                    "What grows where", "tags", List.of("garden"), "context", "auto", "references",
                    List.of("https://example.org/seeds")));
            assertThat(garden.status()).as(garden.body()).isEqualTo(201);
            String gardenId = garden.json().path("note").path("id").asText();
            assertThat(garden.json().path("note").path("context").asText()).isEqualTo("auto");
            String release = server.post("/v1/knowledge/notes", Map.of("title", "Release checklist",
                    "body", "Tag the commit, build the container image, publish the changelog")).json()
                    .path("note").path("id").asText();
            assertThat(server.get("/v1/knowledge/notes/" + release).json().path("note").path("context").asText())
                    .isEqualTo("search-only");

            assertThat(server.get("/v1/knowledge/notes?q=changelog").json().path("notes").get(0).path("id").asText())
                    .isEqualTo(release);
            assertThat(server.switchboard().retrieval().awaitEmbedded(120_000)).isTrue();
            assertThat(server.get("/v1/knowledge/notes?q=" + enc("vegetables I am growing")).json().path("notes")
                    .get(0).path("id").asText()).isEqualTo(gardenId);

            TestServer.Reply patched = server.patch("/v1/knowledge/notes/" + release, Map.of("context", "auto"));
            assertThat(patched.json().path("note").path("context").asText()).isEqualTo("auto");
            assertThat(patched.json().path("note").path("title").asText()).isEqualTo("Release checklist");
            assertThat(server.get("/v1/knowledge/notes").json().path("notes")).hasSize(2);
            assertThat(server.delete("/v1/knowledge/notes/" + gardenId).status()).isEqualTo(200);
            assertThat(server.get("/v1/knowledge/notes/" + gardenId).status()).isEqualTo(404);
        }
    }

    private static void assertField(TestServer.Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().path("error").path("details").path("field").asText()).isEqualTo(field);
    }

    private static String first(TestServer server, String query) {
        TestServer.Reply reply = server.get("/api/memory?q=" + enc(query));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode list = reply.json().path("memories");
        assertThat(list).as("results for '%s'", query).isNotEmpty();
        return list.get(0).path("id").asText();
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static List<String[]> corpus() throws IOException {
        try (InputStream in = MemoryApiTest.class.getResourceAsStream("/knowledge/memories.txt")) {
            List<String[]> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.split("\\|", 2);
                    lines.add(new String[] {parts[0].strip(), parts[1].strip()});
                }
            }
            return Collections.unmodifiableList(lines);
        }
    }

    private static String corpusTags(String content) {
        try {
            return corpus().stream().filter(l -> l[1].equals(content)).map(l -> l[0]).findFirst().orElse("?");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null)) {
            c.createStatement().execute(statement);
        }
    }
}
