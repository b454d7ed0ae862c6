package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A2A push notifications end to end, to receivers on 127.0.0.1 (allowed by {@code tools.httpRequest.allowPrivate}),
 * and A2A tasks across a restart, on SQLite and on PostgreSQL.
 */
class A2aPushTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;
    final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /** One notification as a receiver got it: the task's state and the headers that matter. */
    record Notification(String taskId, String state, String token, String authorization) {
    }

    /** A JDK HTTP server on 127.0.0.1 recording what is POSTed to it; {@code hold} keeps each answer back. */
    static final class Receiver implements AutoCloseable {
        final HttpServer http;
        final List<Notification> got = new CopyOnWriteArrayList<>();
        final CountDownLatch hold;

        Receiver(CountDownLatch hold) throws Exception {
            this.hold = hold;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/hook", exchange -> {
                JsonNode body = TestServer.JSON.readTree(exchange.getRequestBody());
                JsonNode task = body.has("task") ? body.get("task") : body;
                got.add(new Notification(task.path("id").asText(), task.path("status").path("state").asText(),
                        exchange.getRequestHeaders().getFirst("X-A2A-Notification-Token"),
                        exchange.getRequestHeaders().getFirst("Authorization")));
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
        }

        List<String> states(String taskId) {
            return got.stream().filter(n -> n.taskId().equals(taskId)).map(Notification::state).toList();
        }

        @Override
        public void close() {
            hold.countDown();
            http.stop(0);
        }
    }

    private void start(String extraConfig) throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), """
                tools:
                  httpRequest:
                    allowPrivate: [127.0.0.1]
                """ + extraConfig);
        fake = FakeLlmServer.start();
        closing.add(fake);
        fake.on(Match.lastUserMessageContains("hold"), Reply.text("Held.").delayFirstByte(Duration.ofSeconds(2)));
        fake.on(Match.lastUserMessageContains("hang"), Reply.text("never").hang());
        fake.otherwise(Reply.text("Answered."));
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
        closing.add(server);
    }

    private Receiver receiver(CountDownLatch hold) throws Exception {
        Receiver receiver = new Receiver(hold);
        closing.add(receiver);
        return receiver;
    }

    JsonNode rpc(String method, String params) {
        String body = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"" + method + "\", \"params\": " + params + "}";
        TestServer.Reply reply = server.send(server.request("/jsonrpc").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().has("error")).as(reply.body()).isFalse();
        return reply.json().path("result");
    }

    /** Sends without waiting; the task's id. */
    String send(String context, String text) {
        return rpc("SendMessage", """
                {"message": {"role": "ROLE_USER", "messageId": "%s", "contextId": "%s", "parts": [{"text": "%s"}]},
                 "configuration": {"returnImmediately": true}}""".formatted(UUID.randomUUID(), context, text))
                .path("task").path("id").asText();
    }

    String state(String taskId) {
        return rpc("GetTask", "{\"id\": \"" + taskId + "\"}").path("status").path("state").asText();
    }

    void push(String taskId, String id, String url, String token, String credentials) {
        String auth = credentials == null ? "" : ", \"authentication\": {\"scheme\": \"Bearer\", \"credentials\": \""
                + credentials + "\"}";
        JsonNode config = rpc("CreateTaskPushNotificationConfig", """
                {"taskId": "%s", "id": "%s", "url": "%s", "token": "%s"%s}"""
                .formatted(taskId, id, url, token, auth));
        // never echoed back
        assertThat(config.toString()).doesNotContain(token);
        if (credentials != null) {
            assertThat(config.toString()).doesNotContain(credentials);
        }
    }

    @Test
    void everyReceiverGetsTheChangesWithItsTokenInOrderAndASlowOneDelaysNoOther() throws Exception {
        start("");
        CountDownLatch release = new CountDownLatch(1);
        Receiver slow = receiver(release);
        Receiver fast = receiver(new CountDownLatch(0));
        String slowToken = TestSecrets.register("slow-push-token-" + UUID.randomUUID());
        String fastToken = TestSecrets.register("fast-push-token-" + UUID.randomUUID());
        String credentials = TestSecrets.register("push-credentials-" + UUID.randomUUID());

        // the first task holds the context, so the second waits in the queue while its receivers are registered
        String first = send("ctx-push", "hold on");
        String second = send("ctx-push", "then this");
        assertThat(state(second)).isEqualTo("TASK_STATE_SUBMITTED");
        // the slow receiver first: one sender for all would make the fast one wait behind it
        push(second, "slow", slow.url(), slowToken, null);
        push(second, "fast", fast.url(), fastToken, credentials);

        await(() -> fast.states(second).contains("TASK_STATE_COMPLETED"));
        assertThat(fast.states(second)).containsExactly("TASK_STATE_WORKING", "TASK_STATE_COMPLETED");
        assertThat(fast.got).allSatisfy(n -> {
            assertThat(n.token()).isEqualTo(fastToken);
            assertThat(n.authorization()).isEqualTo("Bearer " + credentials);
        });
        // the slow receiver still holds its first notification, and has not been sent the second
        assertThat(slow.states(second)).containsExactly("TASK_STATE_WORKING");

        release.countDown();
        await(() -> slow.states(second).size() == 2);
        assertThat(slow.states(second)).containsExactly("TASK_STATE_WORKING", "TASK_STATE_COMPLETED");
        assertThat(slow.got).allSatisfy(n -> {
            assertThat(n.token()).isEqualTo(slowToken);
            assertThat(n.authorization()).isNull();
        });
        assertThat(state(first)).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(fast.states(first)).isEmpty();
    }

    @Test
    void aQueuedTaskIsAnsweredAfterARestartAndTheCutShortOneFails() throws Exception {
        start("");
        restartRoundTrip();
    }

    @Test
    void tasksPushesAndRestartsWorkOnPostgres() throws Exception {
        String schema = "sb_a2a_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        closing.add(() -> {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        });
        start("""
                database:
                  url: %s?currentSchema=%s
                  user: postgres
                """.formatted(POSTGRES, schema));
        // a round trip: send and wait, get, list
        JsonNode sent = rpc("SendMessage", """
                {"message": {"role": "ROLE_USER", "messageId": "m-1", "parts": [{"text": "hello"}]}}""");
        String id = sent.path("task").path("id").asText();
        assertThat(sent.path("task").path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(sent.path("task").path("artifacts").toString()).contains("Answered.");
        assertThat(rpc("GetTask", "{\"id\": \"" + id + "\"}").path("history").toString()).contains("hello");
        assertThat(rpc("ListTasks", "{}").path("tasks")).extracting(t -> t.path("id").asText()).contains(id);
        restartRoundTrip();
    }

    /**
     * A task whose run the stop cuts short fails; one whose message still waits in the queue stays submitted, is
     * answered by the run the engine resumes, and its receiver is told.
     */
    private void restartRoundTrip() throws Exception {
        Receiver receiver = receiver(new CountDownLatch(0));
        String token = TestSecrets.register("restart-push-token-" + UUID.randomUUID());
        String cut = send("ctx-restart", "hang please");
        await(() -> state(cut).equals("TASK_STATE_WORKING"));
        String queued = send("ctx-restart", "after the restart");
        push(queued, "hook", receiver.url(), token, null);
        assertThat(state(queued)).isEqualTo("TASK_STATE_SUBMITTED");

        server.restart();

        assertThat(state(cut)).isEqualTo("TASK_STATE_FAILED");
        await(() -> state(queued).equals("TASK_STATE_COMPLETED"));
        JsonNode task = rpc("GetTask", "{\"id\": \"" + queued + "\"}");
        assertThat(task.path("artifacts").toString()).contains("Answered.");
        await(() -> receiver.states(queued).contains("TASK_STATE_COMPLETED"));
        assertThat(receiver.states(queued)).containsExactly("TASK_STATE_WORKING", "TASK_STATE_COMPLETED");
        assertThat(receiver.got).allSatisfy(n -> assertThat(n.token()).isEqualTo(token));
    }
}
