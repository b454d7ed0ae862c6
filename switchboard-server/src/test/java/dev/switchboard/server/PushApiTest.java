package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push tokens (/v1/push) through HTTP, and delivery to a push endpoint played by a local HTTP server that records
 * what it receives: an approval waiting reaches the owner's devices with the badge, retried on 5xx, and tokens the
 * endpoint reports invalid are removed.
 */
class PushApiTest {

    static final String AUTHORIZATION = TestSecrets.register("Bearer push-endpoint-secret-7d3f9a2c1b");

    @TempDir
    Path home;

    /** The push endpoint: records each POST and answers from a script, then 200 {} once the script is used up. */
    static final class Endpoint implements AutoCloseable {
        record Received(String authorization, JsonNode body) {
        }

        record Answer(int status, String body) {
        }

        final HttpServer server;
        final List<Received> received = new ArrayList<>();
        final Deque<Answer> script = new ArrayDeque<>();

        Endpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/push", exchange -> {
                JsonNode body = TestServer.JSON.readTree(exchange.getRequestBody());
                Answer answer;
                synchronized (this) {
                    received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"), body));
                    answer = script.isEmpty() ? new Answer(200, "{}") : script.poll();
                }
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/push";
        }

        synchronized void answer(int status, String body) {
            script.add(new Answer(status, body));
        }

        List<Received> await(int count) throws InterruptedException {
            for (int i = 0; i < 200; i++) {
                synchronized (this) {
                    if (received.size() >= count) {
                        return List.copyOf(received);
                    }
                }
                Thread.sleep(50);
            }
            synchronized (this) {
                throw new AssertionError("expected " + count + " pushes, got " + received.size());
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private void configure(String endpoint, String authorization) throws IOException {
        Files.writeString(home.resolve("switchboard.yml"), "push:\n  endpoint: " + endpoint + "\n"
                + (authorization == null ? "" : "  authorization: \"" + authorization + "\"\n"));
    }

    @Test
    void tokensAreTheCallersOwnAndNeverShownWhole() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
            try (TestServer server = TestServer.start(home)) {
                assertThat(server.get("/v1/push/status").json().path("enabled").asBoolean()).isFalse();
                server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
                server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
                TestServer.Client alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
                TestServer.Client bob = server.as(server.login("bob", IdentityTest.BOB_PASSWORD));

                String token = TestSecrets.register("ExponentPushToken[alice-device-1a2b3c4d]");
                TestServer.Reply registered = alice.post("/v1/push/register",
                        Map.of("token", token, "platform", "expo", "deviceName", "Alice's phone"));
                assertThat(registered.status()).as(registered.body()).isEqualTo(201);
                assertThat(registered.json().path("token").path("tokenHint").asText()).isEqualTo("****c4d]");
                // registering the same device again keeps one row
                alice.post("/v1/push/register", Map.of("token", token, "platform", "expo", "deviceName", "Phone"));

                JsonNode status = alice.get("/v1/push/status").json();
                assertThat(status.path("tokens")).hasSize(1);
                assertThat(status.path("tokens").get(0).path("deviceName").asText()).isEqualTo("Phone");
                assertThat(status.path("tokens").get(0).path("platform").asText()).isEqualTo("expo");
                assertThat(status.path("badge").asInt()).isZero();
                assertThat(bob.get("/v1/push/status").json().path("tokens")).isEmpty();

                // bob cannot remove alice's device by knowing its token
                assertThat(bob.post("/v1/push/unregister", Map.of("token", token)).json().path("removed").asBoolean())
                        .isFalse();
                assertThat(alice.get("/v1/push/status").json().path("tokens")).hasSize(1);

                assertThat(alice.post("/v1/push/register", Map.of("token", token, "platform", "symbian"))
                        .errorField()).isEqualTo("platform");
                assertThat(alice.post("/v1/push/register", Map.of("platform", "ios")).errorField())
                        .isEqualTo("token");
                assertThat(alice.post("/v1/push/register", Map.of("token", "has space", "platform", "ios"))
                        .errorField()).isEqualTo("token");
                assertThat(alice.post("/v1/push/register", Map.of("token", token, "platform", "ios", "extra", 1))
                        .errorField()).isEqualTo("extra");

                assertThat(alice.post("/v1/push/unregister", Map.of("token", token)).json().path("removed")
                        .asBoolean()).isTrue();
                assertThat(alice.get("/v1/push/status").json().path("tokens")).isEmpty();
            }
        }
    }

    @Test
    void aWaitingApprovalPushesToTheOwnersDevicesWithTheBadgeAndInvalidTokensGo() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start(); Endpoint endpoint = new Endpoint()) {
            fake.on(Match.lastUserMessageContains("write"),
                    Reply.toolCall("write_file", "{\"path\":\"a.txt\",\"content\":\"x\"}"));
            fake.otherwise(Reply.text("Hello."));
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
                      timeout: 600000
                    """.formatted(fake.openAiBaseUrl()));
            configure(endpoint.url(), "$VAULT:push-auth");
            try (TestServer server = TestServer.start(home)) {
                // the header lives in the operator's vault; push.authorization names it
                assertThat(server.post("/api/vault", Map.of("name", "push-auth", "value", AUTHORIZATION)).status())
                        .isEqualTo(201);
                assertThat(server.get("/v1/push/status").json().path("enabled").asBoolean()).isTrue();
                server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
                TestServer.Client alice = server.as(server.login("alice", IdentityTest.ALICE_PASSWORD));
                String phone = TestSecrets.register("apns-token-alice-phone-0011223344");
                String tablet = TestSecrets.register("apns-token-alice-tablet-5566778899");
                alice.post("/v1/push/register", Map.of("token", phone, "platform", "ios"));
                alice.post("/v1/push/register", Map.of("token", tablet, "platform", "android"));

                // a 503 is retried; the answer that follows reports the tablet's token invalid
                endpoint.answer(503, "{}");
                endpoint.answer(200, "{\"invalidTokens\":[\"" + tablet + "\",\"someone-elses-token\"]}");
                assertThat(alice.post("/api/message", Map.of("sessionId", "one", "content", "write a file"))
                        .status()).isEqualTo(202);
                List<PushApiTest.Endpoint.Received> pushes = endpoint.await(2);
                String approvalId = alice.get("/api/approvals").json().path("approvals").get(0).path("approvalId")
                        .asText();
                for (PushApiTest.Endpoint.Received push : pushes) {
                    assertThat(push.authorization()).isEqualTo(AUTHORIZATION);
                    JsonNode body = push.body();
                    assertThat(List.of(body.path("to").get(0).asText(), body.path("to").get(1).asText()))
                            .containsExactlyInAnyOrder(phone, tablet);
                    assertThat(body.path("title").asText()).isEqualTo("Approval needed");
                    assertThat(body.path("body").asText()).contains("write_file");
                    assertThat(body.path("badge").asInt()).isEqualTo(1);
                    assertThat(body.path("data").path("approvalId").asText()).isEqualTo(approvalId);
                    assertThat(body.path("data").path("sessionId").asText()).isEqualTo("one");
                }
                JsonNode status = awaitTokens(alice, 1);
                assertThat(status.path("badge").asInt()).isEqualTo(1);
                assertThat(status.path("tokens").get(0).path("platform").asText()).isEqualTo("ios");
                assertThat(status.toString()).doesNotContain(phone);

                // a second approval counts on the badge; a 410 says the remaining token is gone
                endpoint.answer(410, "");
                alice.post("/api/message", Map.of("sessionId", "two", "content", "write another file"));
                JsonNode second = endpoint.await(3).get(2).body();
                assertThat(second.path("badge").asInt()).isEqualTo(2);
                assertThat(second.path("to")).hasSize(1);
                assertThat(awaitTokens(alice, 0).path("badge").asInt()).isEqualTo(2);

                assertThat(alice.post("/v1/push/clear-badge", Map.of()).json().path("badge").asInt()).isZero();
                assertThat(alice.get("/v1/push/status").json().path("badge").asInt()).isZero();

                // no device, no push: the third approval is not sent, and the run still waits as usual
                alice.post("/api/message", Map.of("sessionId", "three", "content", "write a third file"));
                for (int i = 0; i < 100 && alice.get("/api/approvals").json().path("approvals").size() < 3; i++) {
                    Thread.sleep(50);
                }
                assertThat(alice.get("/api/approvals").json().path("approvals")).hasSize(3);
                Thread.sleep(300);
                assertThat(endpoint.received).hasSize(3);
            }
        }
    }

    @Test
    void aClientErrorIsNotRetriedAndAFailingEndpointNeverFailsTheRun() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start(); Endpoint endpoint = new Endpoint()) {
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
                      timeout: 600000
                    """.formatted(fake.openAiBaseUrl()));
            configure(endpoint.url(), "$PUSH_AUTHORIZATION");
            try (TestServer server = TestServer.start(home, Map.of("PUSH_AUTHORIZATION", AUTHORIZATION))) {
                String token = TestSecrets.register("fcm-token-operator-device-abcdef012345");
                server.post("/v1/push/register", Map.of("token", token, "platform", "android"));
                endpoint.answer(400, "{\"error\":\"bad request\"}");
                server.post("/api/message", Map.of("sessionId", "one", "content", "write a file"));
                List<Endpoint.Received> pushes = endpoint.await(1);
                assertThat(pushes.get(0).authorization()).isEqualTo(AUTHORIZATION);
                String approvalId = server.get("/api/approvals").json().path("approvals").get(0).path("approvalId")
                        .asText();
                assertThat(server.post("/api/approvals/" + approvalId, Map.of("status", "approved")).status())
                        .isEqualTo(200);
                fake.awaitRequests(2, java.time.Duration.ofSeconds(10));
                for (int i = 0; i < 100 && server.get("/api/sessions/one/history").json().path("history").size() < 4;
                        i++) {
                    Thread.sleep(50);
                }
                assertThat(server.get("/api/sessions/one/history").body()).contains("Written.");
                // a 400 is the request's fault: not retried, and the token stays
                assertThat(endpoint.received).hasSize(1);
                assertThat(server.get("/v1/push/status").json().path("tokens")).hasSize(1);
            }
        }
    }

    private static JsonNode awaitTokens(TestServer.Client client, int count) throws InterruptedException {
        JsonNode status = client.get("/v1/push/status").json();
        for (int i = 0; i < 100 && status.path("tokens").size() != count; i++) {
            Thread.sleep(50);
            status = client.get("/v1/push/status").json();
        }
        assertThat(status.path("tokens")).hasSize(count);
        return status;
    }
}
