package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestSecrets;
import dev.switchboard.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks over HTTP: signed deliveries of run events to a receiver on 127.0.0.1, retries, the log, the rules. */
class WebhookApiTest {

    private static final String SECRET = "whsec-test-0123456789abcdef";

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void scriptTheModel() {
        fake = FakeLlmServer.start();
        fake.on(Match.any(), Reply.text("Pong."));
        TestSecrets.register(SECRET);
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    private TestServer serverAllowingLoopback() throws Exception {
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        Files.writeString(home.resolve("switchboard.yml"), """
                tools:
                  httpRequest:
                    allowPrivate: [127.0.0.1]
                """);
        return TestServer.start(home);
    }

    @Test
    void aDeliveryIsSignedRetriedWithBackoffAfterTwoFailuresAndEveryAttemptIsLogged() throws Exception {
        try (TestServer server = serverAllowingLoopback(); Receiver receiver = new Receiver(500, 500)) {
            TestServer.Reply created = server.post("/api/webhooks", Map.of("url", receiver.url("/hook"),
                    "secret", SECRET, "description", "CI", "events", List.of("run:complete")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().path("webhook").path("id").asText();
            assertThat(created.body()).doesNotContain(SECRET);
            assertThat(created.json().path("webhook").path("signed").asBoolean()).isTrue();

            TestServer.Reply answered = server.post("/api/message-sync", Map.of("sessionId", "wh", "content", "Ping"));
            assertThat(answered.status()).as(answered.body()).isEqualTo(200);

            assertThat(receiver.await(3, 30_000)).as("three attempts arrive").isTrue();
            List<Receiver.Received> got = receiver.received;
            String deliveryId = got.getFirst().header(WebhookSignature.DELIVERY);
            for (Receiver.Received r : got) {
                // the receiver checks each attempt's signature as a real one would, over timestamp and body
                String timestamp = r.header(WebhookSignature.TIMESTAMP);
                assertThat(r.header(WebhookSignature.SIGNATURE)).isEqualTo(hmac(SECRET, timestamp + "." + r.body()));
                assertThat(r.header(WebhookSignature.SIGNATURE)).isNotEqualTo(hmac("wrong-secret", timestamp + "."
                        + r.body()));
                assertThat(r.header(WebhookSignature.DELIVERY)).isEqualTo(deliveryId);
                assertThat(r.header(WebhookSignature.EVENT)).isEqualTo("run:complete");
                JsonNode body = TestServer.JSON.readTree(r.body());
                assertThat(body.path("type").asText()).isEqualTo("run:complete");
                assertThat(body.path("data").path("sessionId").asText()).isEqualTo("wh");
                assertThat(body.path("data").path("finishReason").asText()).isEqualTo("stop");
            }
            // exponential backoff: about 2 s, then about 4 s
            long firstGap = TimeUnit.NANOSECONDS.toMillis(got.get(1).atNanos() - got.get(0).atNanos());
            long secondGap = TimeUnit.NANOSECONDS.toMillis(got.get(2).atNanos() - got.get(1).atNanos());
            assertThat(firstGap).isGreaterThanOrEqualTo(1_900);
            assertThat(secondGap).isGreaterThanOrEqualTo(3_900);

            JsonNode delivery = awaitDelivered(server, id);
            assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.path("attemptLog").findValuesAsText("statusCode"))
                    .containsExactly("500", "500", "200");
            Thread.sleep(500);
            assertThat(receiver.received).as("no attempt after the success").hasSize(3);

            TestServer.Reply listed = server.get("/api/webhooks");
            assertThat(listed.json().path("webhooks")).hasSize(1);
            assertThat(listed.body()).doesNotContain(SECRET);
            assertThat(server.get("/api/webhooks/" + id).body()).doesNotContain(SECRET);
        }
    }

    @Test
    void aPendingDeliveryOutlivesARestart() throws Exception {
        try (TestServer server = serverAllowingLoopback(); Receiver receiver = new Receiver(500)) {
            String id = server.post("/api/webhooks", Map.of("url", receiver.url("/r"), "secret", SECRET,
                    "events", List.of("run:started"))).json().path("webhook").path("id").asText();
            assertThat(server.post("/api/message-sync", Map.of("sessionId", "rs", "content", "Ping")).status())
                    .isEqualTo(200);
            assertThat(receiver.await(1, 10_000)).isTrue();
            // the first attempt failed; the retry is due in about 2 s, by then from the restarted server
            server.restart();
            assertThat(receiver.await(2, 15_000)).as("the retry after the restart").isTrue();
            JsonNode delivery = awaitDelivered(server, id);
            assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
            assertThat(receiver.received.get(0).header(WebhookSignature.DELIVERY))
                    .isEqualTo(receiver.received.get(1).header(WebhookSignature.DELIVERY));
        }
    }

    @Test
    void theTestEndpointSaysWhatTheReceiverAnswered() throws Exception {
        try (TestServer server = serverAllowingLoopback(); Receiver receiver = new Receiver(503)) {
            String id = server.post("/api/webhooks", Map.of("url", receiver.url("/t")))
                    .json().path("webhook").path("id").asText();
            JsonNode failed = server.post("/api/webhooks/" + id + "/test", Map.of()).json();
            assertThat(failed.path("test").asText()).isEqualTo("completed");
            assertThat(failed.path("result").path("success").asBoolean()).isFalse();
            assertThat(failed.path("result").path("statusCode").asInt()).isEqualTo(503);
            assertThat(failed.path("result").path("error").asText()).isEqualTo("HTTP 503");

            JsonNode ok = server.post("/api/webhooks/" + id + "/test", Map.of()).json();
            assertThat(ok.path("result").path("success").asBoolean()).isTrue();
            assertThat(ok.path("result").path("statusCode").asInt()).isEqualTo(200);
            assertThat(ok.path("result").has("responseTime")).isTrue();
            // unsigned: registered without a secret
            assertThat(receiver.received.getLast().header(WebhookSignature.SIGNATURE)).isNull();
            assertThat(receiver.received.getLast().header(WebhookSignature.EVENT)).isEqualTo("webhook:test");

            assertThat(server.delete("/api/webhooks/" + id).status()).isEqualTo(200);
            assertThat(server.get("/api/webhooks/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void privateAndMetadataAddressesAreRefusedNamingTheUrl() throws Exception {
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        try (TestServer server = TestServer.start(home)) {
            for (String url : List.of("http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data",
                    "http://10.1.2.3/", "ftp://example.com/", "not a url", "http://user:pw@example.com/")) {
                TestServer.Reply refused = server.post("/api/webhooks", Map.of("url", url));
                assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(400);
                assertThat(refused.errorField()).isEqualTo("url");
            }
            TestServer.Reply badEvent = server.post("/api/webhooks", Map.of("url", "https://example.com/h",
                    "events", List.of("not an event")));
            assertThat(badEvent.status()).isEqualTo(400);
            assertThat(badEvent.errorField()).isEqualTo("events[0]");
            assertThat(server.get("/api/webhooks").json().path("webhooks")).isEmpty();
        }
    }

    private static JsonNode awaitDelivered(TestServer server, String id) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (true) {
            JsonNode deliveries = server.get("/api/webhooks/" + id + "/deliveries").json().path("deliveries");
            if (deliveries.size() == 1 && deliveries.get(0).path("status").asText().equals("delivered")) {
                return deliveries.get(0);
            }
            assertThat(System.currentTimeMillis()).as("delivered in time: " + deliveries).isLessThan(end);
            Thread.sleep(100);
        }
    }

    static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
