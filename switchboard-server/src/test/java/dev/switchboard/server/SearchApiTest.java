package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/search/messages} and {@code /api/search/sessions} over HTTP, on the default SQLite store. */
class SearchApiTest {

    @TempDir
    Path home;

    @Test
    void messagesAndSessionsAreFoundByWordsAndPhrasesWithTheirContext() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("pelican"), Reply.text("The pelican landed on the old pier."));
            fake.otherwise(Reply.text("Nothing to add."));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                sync(server.as(TestServer.KEY), "birds", "Where did the pelican go?");
                sync(server.as(TestServer.KEY), "other", "no birds in this one");

                JsonNode all = ok(server.get(search("messages", "pelican")));
                assertThat(all.path("total").asInt()).isEqualTo(2);
                assertThat(all.path("hasMore").asBoolean()).isFalse();
                assertThat(all.path("query").asText()).isEqualTo("pelican");
                JsonNode newest = all.path("results").get(0);
                assertThat(newest.path("sessionId").asText()).isEqualTo("birds");
                assertThat(newest.path("message").path("role").asText()).isEqualTo("assistant");
                assertThat(newest.path("message").path("content").asText()).isEqualTo("The pelican landed on the old pier.");
                assertThat(newest.path("matchedText").asText()).isEqualTo("pelican");
                assertThat(newest.path("context").asText()).isEqualTo("The pelican landed on the old pier.");
                assertThat(newest.path("messageIndex").asInt()).isEqualTo(1);
                assertThat(all.path("results").get(1).path("messageIndex").asInt()).isZero();

                JsonNode phrase = ok(server.get(search("messages", "\"PELICAN LANDED\"")));
                assertThat(phrase.path("results")).hasSize(1);
                assertThat(phrase.path("results").get(0).path("matchedText").asText()).isEqualTo("pelican landed");
                assertThat(ok(server.get(search("messages", "pelican") + "&role=user")).path("results").get(0)
                        .path("message").path("content").asText()).isEqualTo("Where did the pelican go?");
                assertThat(ok(server.get(search("messages", "birds") + "&sessionId=birds")).path("total").asInt())
                        .isZero();
                JsonNode firstPage = ok(server.get(search("messages", "pelican") + "&limit=1"));
                assertThat(firstPage.path("results")).hasSize(1);
                assertThat(firstPage.path("hasMore").asBoolean()).isTrue();
                assertThat(ok(server.get(search("messages", "pelican") + "&limit=1&offset=1")).path("hasMore")
                        .asBoolean()).isFalse();

                JsonNode sessions = ok(server.get(search("sessions", "pelican")));
                assertThat(sessions.path("total").asInt()).isEqualTo(1);
                JsonNode birds = sessions.path("results").get(0);
                assertThat(birds.path("sessionId").asText()).isEqualTo("birds");
                assertThat(birds.path("matchCount").asInt()).isEqualTo(2);
                assertThat(birds.path("firstMatch").path("messageIndex").asInt()).isZero();
                assertThat(birds.path("firstMatch").path("message").path("role").asText()).isEqualTo("user");
                assertThat(birds.path("metadata").path("messageCount").asInt()).isEqualTo(2);
                assertThat(birds.path("metadata").path("agentId").asText()).isEqualTo("default");
                assertThat(birds.path("metadata").path("createdAt").asLong()).isPositive();
            }
        }
    }

    @Test
    void badQueriesAreRefusedNamingTheParameterAndQuerySyntaxIsNeverAnError() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("Use NEAR or NOT; it's fine."));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                sync(server.as(TestServer.KEY), "s", "hello");
                for (String path : new String[] {"/api/search/messages", "/api/search/messages?q=",
                        search("messages", "\"\" * -"), "/api/search/sessions", search("sessions", "   ")}) {
                    TestServer.Reply reply = server.get(path);
                    assertThat(reply.status()).as(path).isEqualTo(400);
                    assertThat(reply.errorField()).as(path).isEqualTo("q");
                }
                for (String[] bad : new String[][] {{"limit=0", "limit"}, {"limit=101", "limit"},
                        {"limit=ten", "limit"}, {"offset=-1", "offset"}, {"role=robot", "role"},
                        {"sessionId=", "sessionId"}}) {
                    TestServer.Reply reply = server.get(search("messages", "hello") + "&" + bad[0]);
                    assertThat(reply.status()).as(bad[0]).isEqualTo(400);
                    assertThat(reply.errorField()).as(bad[0]).isEqualTo(bad[1]);
                }
                assertThat(server.get(search("messages", "x".repeat(501))).errorField()).isEqualTo("q");
                for (String typed : new String[] {"'; DROP TABLE messages; --", "NEAR(use not)", "use*", "\"not",
                        "-use", "it's", "use AND NOT OR"}) {
                    for (String kind : new String[] {"messages", "sessions"}) {
                        TestServer.Reply reply = server.get(search(kind, typed));
                        assertThat(reply.status()).as(kind + " " + typed + ": " + reply.body()).isEqualTo(200);
                    }
                }
                assertThat(ok(server.get(search("messages", "NEAR(use not)"))).path("total").asInt()).isEqualTo(1);
                assertThat(ok(server.get(search("messages", "'; DROP TABLE messages; --"))).path("total").asInt())
                        .isZero();
                assertThat(ok(server.get("/api/sessions/s/history")).path("history")).hasSize(2);
            }
        }
    }

    @Test
    void aUserSearchesOnlyTheirOwnConversations() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("Noted."));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
                server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
                TestServer.Client alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
                TestServer.Client bob = server.as(server.login("bob", IdentityTest.BOB_PASSWORD));
                sync(alice, "alices-diary", "my secret word is marmalade");
                sync(bob, "bobs-notes", "bob likes marmalade too");

                JsonNode alices = ok(alice.get(search("messages", "marmalade")));
                assertThat(alices.path("total").asInt()).isEqualTo(1);
                assertThat(alices.path("results").get(0).path("sessionId").asText()).isEqualTo("alices-diary");
                for (String path : new String[] {search("messages", "marmalade"),
                        search("messages", "marmalade") + "&sessionId=alices-diary", search("sessions", "secret"),
                        search("sessions", "marmalade")}) {
                    TestServer.Reply reply = bob.get(path);
                    assertThat(reply.status()).isEqualTo(200);
                    assertThat(reply.body()).as(path).doesNotContain("alices-diary").doesNotContain("secret word");
                }
                assertThat(ok(bob.get(search("sessions", "marmalade"))).path("total").asInt()).isEqualTo(1);
                assertThat(ok(server.get(search("messages", "marmalade"))).path("total").asInt()).isZero();
            }
        }
    }

    private static String search(String kind, String q) {
        return "/api/search/" + kind + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
    }

    private static void sync(TestServer.Client client, String sessionId, String text) {
        TestServer.Reply reply = client.post("/api/message-sync", Map.of("sessionId", sessionId, "content", text));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static JsonNode ok(TestServer.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }
}
