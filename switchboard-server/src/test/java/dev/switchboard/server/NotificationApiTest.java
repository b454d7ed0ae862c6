package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications over HTTP: produced by a hook, paginated, read one by one or all at once, each user's own. */
class NotificationApiTest {

    @TempDir
    Path home;

    @Test
    void aWaitingApprovalNotifiesItsOwner() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastMessageIsToolResult(), Reply.text("Written."));
            fake.on(Match.lastUserMessageContains("write"),
                    Reply.toolCall("write_file", "{\"path\":\"a.txt\",\"content\":\"x\"}"));
            TestServer.writeAgent(home, "default", """
                    llm:
                      provider: openai-compatible
                      model: test-model
                      apiKey: test-llm-key
                      baseURL: %s
                      maxRetries: 0
                    tools: [write_file]
                    permissions:
                      mode: manual
                    """.formatted(fake.openAiBaseUrl()));
            try (TestServer server = TestServer.start(home)) {
                assertThat(server.post("/api/message", Map.of("sessionId", "asks", "content", "write a file"))
                        .status()).isEqualTo(202);
                JsonNode found = null;
                for (int i = 0; i < 200 && (found == null || found.isEmpty()); i++) {
                    Thread.sleep(50);
                    found = server.get("/api/notifications").json().path("notifications");
                }
                assertThat(found).hasSize(1);
                JsonNode notification = found.get(0);
                assertThat(notification.path("type").asText()).isEqualTo("approval");
                assertThat(notification.path("title").asText()).isEqualTo("Approval needed");
                assertThat(notification.path("body").asText()).contains("write_file");
                assertThat(notification.path("data").path("sessionId").asText()).isEqualTo("asks");
                String approvalId = server.get("/api/approvals").json().path("approvals").get(0)
                        .path("approvalId").asText();
                assertThat(notification.path("data").path("approvalId").asText()).isEqualTo(approvalId);
            }
        }
    }

    @Test
    void notificationsArePagedReadAndKeptToTheirOwner() {
        try (TestServer server = TestServer.start(home)) {
            server.createUser("alice", "alice-password-123", "user");
            server.createUser("bob", "bob-password-1234", "user");
            TestServer.Client alice = server.as(server.login("alice", "alice-password-123"));
            TestServer.Client bob = server.as(server.login("bob", "bob-password-1234"));

            String secret = TestSecrets.register("alices-hook-secret-0123456789");
            TestServer.Reply hook = alice.post("/api/hooks", Map.of("name", "ping", "trigger", "webhook",
                    "secret", secret,
                    "actions", List.of(Map.of("type", "notify", "title", "Ping {{body.n}}",
                            "message", "from the outside"))));
            assertThat(hook.status()).as(hook.body()).isEqualTo(201);
            String path = "/api/hooks/incoming/" + hook.json().path("hook").path("id").asText();
            for (int n = 1; n <= 3; n++) {
                assertThat(HookApiTest.incoming(server, path, secret, Map.of("n", n)).json().path("fired")
                        .asBoolean()).isTrue();
            }

            JsonNode first = alice.get("/api/notifications?page=1&limit=2").json();
            assertThat(first.path("notifications").findValuesAsText("title")).containsExactly("Ping 3", "Ping 2");
            assertThat(first.path("total").asInt()).isEqualTo(3);
            assertThat(first.path("unread").asInt()).isEqualTo(3);
            assertThat(first.path("hasMore").asBoolean()).isTrue();
            JsonNode second = alice.get("/api/notifications?page=2&limit=2").json();
            assertThat(second.path("notifications").findValuesAsText("title")).containsExactly("Ping 1");
            assertThat(second.path("hasMore").asBoolean()).isFalse();
            assertThat(second.path("notifications").get(0).path("type").asText()).isEqualTo("hook");
            assertThat(second.path("notifications").get(0).path("read").asBoolean()).isFalse();

            // bob sees none of them and cannot read alice's
            String oldest = second.path("notifications").get(0).path("id").asText();
            assertThat(bob.get("/api/notifications").json().path("total").asInt()).isZero();
            assertThat(bob.post("/api/notifications/" + oldest + "/read", Map.of()).status()).isEqualTo(404);
            assertThat(bob.post("/api/notifications/read-all", Map.of()).json().path("marked").asInt()).isZero();
            assertThat(alice.get("/api/notifications").json().path("unread").asInt()).isEqualTo(3);

            assertThat(alice.post("/api/notifications/" + oldest + "/read", Map.of()).status()).isEqualTo(200);
            JsonNode after = alice.get("/api/notifications").json();
            assertThat(after.path("unread").asInt()).isEqualTo(2);
            assertThat(alice.get("/api/notifications?unread=true").json().path("notifications")
                    .findValuesAsText("title")).containsExactly("Ping 3", "Ping 2");
            assertThat(alice.post("/api/notifications/read-all", Map.of()).json().path("marked").asInt())
                    .isEqualTo(2);
            assertThat(alice.get("/api/notifications").json().path("unread").asInt()).isZero();
            assertThat(alice.post("/api/notifications/ntf_missing/read", Map.of()).status()).isEqualTo(404);

            TestServer.Reply badPage = alice.get("/api/notifications?page=0");
            assertThat(badPage.status()).isEqualTo(400);
            assertThat(badPage.errorField()).isEqualTo("page");
            TestServer.Reply badUnread = alice.get("/api/notifications?unread=maybe");
            assertThat(badUnread.status()).isEqualTo(400);
            assertThat(badUnread.errorField()).isEqualTo("unread");
        }
    }
}
