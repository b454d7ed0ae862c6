package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ws} with the JDK's WebSocket client: channels, chat, replay, limits and credentials. */
class WebSocketTest {

    @TempDir
    Path home;

    private FakeLlmServer fake;
    private TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.otherwise(Reply.text("one two three four"));
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void aSubscriberReceivesTheEventsOfAMessageSentOverRest() {
        try (WsClient ws = WsClient.open(server, "?token=" + TestServer.KEY)) {
            assertThat(ws.next("connected").path("userId").asText()).isEqualTo("operator");
            ws.send(Map.of("type", "subscribe", "channels", List.of("agent.status", "agent.message")));
            assertThat(ws.next("subscribed").path("channels")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("agent.status", "agent.message");

            assertThat(server.post("/api/message", Map.of("sessionId", "rest-1", "content", "count")).status())
                    .isEqualTo(202);
            List<JsonNode> events = ws.eventsUntil("run:complete");
            assertThat(events.getFirst().path("name").asText()).isEqualTo("run:started");
            assertThat(events.getFirst().path("channel").asText()).isEqualTo("agent.status");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("sessionId").asText()).isEqualTo("rest-1");
                assertThat(e.path("agentId").asText()).isEqualTo("default");
                assertThat(e.path("id").asText()).isEqualTo("rest-1:" + e.path("seq").asLong());
            });
            String text = events.stream().filter(e -> e.path("name").asText().equals("llm:chunk"))
                    .map(e -> e.path("content").asText()).reduce("", String::concat);
            assertThat(text).isEqualTo("one two three four");
            assertThat(events).filteredOn(e -> e.path("name").asText().equals("llm:chunk"))
                    .allSatisfy(e -> assertThat(e.path("channel").asText()).isEqualTo("agent.message"));
            // tool calls were not subscribed to
            assertThat(events).noneMatch(e -> e.path("channel").asText().equals("agent.tool_call"));
        }
    }

    @Test
    void aChatMessageSentOverTheSocketRunsAndStreamsBack() {
        try (WsClient ws = WsClient.open(server, "?token=" + TestServer.KEY)) {
            ws.next("connected");
            ws.send(Map.of("type", "subscribe", "channels", List.of("agent.message", "agent.status")));
            ws.next("subscribed");
            ws.send(Map.of("type", "message", "id", "m1", "sessionId", "over-ws", "content", "hello"));
            JsonNode accepted = ws.next("message.accepted");
            assertThat(accepted.path("id").asText()).isEqualTo("m1");
            assertThat(accepted.path("sessionId").asText()).isEqualTo("over-ws");
            List<JsonNode> events = ws.eventsUntil("run:complete");
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");
            assertThat(server.get("/api/sessions/over-ws/history").body()).contains("one two three four");
        }
    }

    @Test
    void replayAfterReconnectSendsOnlyWhatWasMissed() {
        List<JsonNode> seen;
        try (WsClient first = WsClient.open(server, "?token=" + TestServer.KEY)) {
            first.next("connected");
            first.send(Map.of("type", "subscribe", "channels", List.of("agent.status", "agent.message")));
            first.next("subscribed");
            server.post("/api/message", Map.of("sessionId", "again", "content", "count"));
            seen = first.eventsUntil("run:complete");
        }
        assertThat(seen.size()).isGreaterThan(4);
        String lastSeen = seen.get(1).path("id").asText();
        try (WsClient second = WsClient.open(server, "?token=" + TestServer.KEY)) {
            second.next("connected");
            second.send(Map.of("type", "subscribe", "channels", List.of("agent.status", "agent.message"),
                    "lastEventId", lastSeen));
            second.next("subscribed");
            List<JsonNode> replayed = second.eventsUntil("run:complete");
            assertThat(replayed).extracting(e -> e.path("seq").asLong()).containsExactlyElementsOf(
                    seen.subList(2, seen.size()).stream().map(e -> e.path("seq").asLong()).toList());
            JsonNode done = second.next("replayed");
            assertThat(done.path("count").asInt()).isEqualTo(seen.size() - 2);

            // replaying again sends nothing twice
            second.send(Map.of("type", "replay", "lastEventId", lastSeen));
            assertThat(second.next("replayed").path("count").asInt()).isZero();
        }
    }

    @Test
    void aUserSeesOnlyTheirOwnSessionsAndCannotReplayAnothers() throws Exception {
        server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
        server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
        String alice = server.login("alice", IdentityTest.ALICE_PASSWORD);
        String bob = server.login("bob", IdentityTest.BOB_PASSWORD);
        try (WsClient bobs = WsClient.open(server, "?token=" + bob);
                WsClient alices = WsClient.open(server, "?token=" + alice)) {
            bobs.next("connected");
            alices.next("connected");
            for (WsClient ws : List.of(bobs, alices)) {
                ws.send(Map.of("type", "subscribe", "channels", List.of("agent.status")));
                ws.next("subscribed");
            }
            assertThat(server.as(alice).post("/api/message", Map.of("sessionId", "alices", "content", "hi"))
                    .status()).isEqualTo(202);
            JsonNode done = alices.next(f -> f.path("name").asText().equals("run:complete"));
            assertThat(done.path("sessionId").asText()).isEqualTo("alices");
            // bob's socket got nothing of it, and cannot replay it either
            bobs.send(Map.of("type", "ping"));
            assertThat(bobs.next(f -> !f.path("type").asText().equals("connected")).path("type").asText())
                    .isEqualTo("pong");
            bobs.send(Map.of("type", "replay", "sessionId", "alices", "after", 0));
            JsonNode refused = bobs.next("error");
            assertThat(refused.path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void aTicketOpensOneSocketOnce() {
        String ticket = server.get("/api/auth/ws-ticket").json().path("ticket").asText();
        assertThat(ticket).isNotBlank();
        try (WsClient ws = WsClient.open(server, "?ticket=" + ticket)) {
            assertThat(ws.next("connected").path("userId").asText()).isEqualTo("operator");
        }
        assertThat(handshakeStatus("?ticket=" + ticket)).isEqualTo(401);
    }

    @Test
    void noOrAWrongCredentialIsRefusedBeforeTheUpgrade() {
        assertThat(handshakeStatus("")).isEqualTo(401);
        assertThat(handshakeStatus("?token=wrong-key")).isEqualTo(401);
        assertThat(handshakeStatus("?ticket=wst_nope")).isEqualTo(401);
        // a plain GET without credentials is refused like every protected route; with them, it says to upgrade
        assertThat(server.as(null).get("/ws").status()).isEqualTo(401);
        assertThat(server.get("/ws").status()).isEqualTo(426);
    }

    @Test
    void aFrameOverTheLimitClosesTheConnectionWithMessageTooBig() throws Exception {
        try (WsClient ws = WsClient.open(server, "?token=" + TestServer.KEY)) {
            int limit = ws.next("connected").path("maxFrameBytes").asInt();
            ws.socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(limit) + "\"}", true);
            assertThat(ws.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void tooManyMessagesInASecondCloseTheConnectionWithAPolicyCode() throws Exception {
        try (WsClient ws = WsClient.open(server, "?token=" + TestServer.KEY)) {
            int perSecond = ws.next("connected").path("messagesPerSecond").asInt();
            for (int i = 0; i <= perSecond + 5 && !ws.closedWith.isDone(); i++) {
                try {
                    ws.socket.sendText("{\"type\":\"ping\"}", true).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException closed) {
                    break;
                }
            }
            assertThat(ws.next("error").path("code").asText()).isEqualTo("rate_limited");
            assertThat(ws.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void badMessagesGetAnErrorFrameNamingTheField() {
        try (WsClient ws = WsClient.open(server, "?token=" + TestServer.KEY)) {
            ws.next("connected");
            ws.socket.sendText("{not json", true);
            assertThat(ws.next("error").path("details").path("field").asText()).isEqualTo("message");
            ws.send(Map.of("type", "subscribe", "channels", List.of("agent.everything")));
            assertThat(ws.next("error").path("details").path("field").asText()).isEqualTo("channels");
            ws.send(Map.of("type", "dance"));
            assertThat(ws.next("error").path("details").path("field").asText()).isEqualTo("type");
            ws.send(Map.of("type", "approval", "approvalId", "nope", "status", "approved"));
            assertThat(ws.next("error").path("code").asText()).isEqualTo("not_found");
            ws.send(Map.of("type", "replay", "lastEventId", "no-colon"));
            assertThat(ws.next("error").path("details").path("field").asText()).isEqualTo("lastEventId");
        }
    }

    @Test
    void aBrowsersOfferOfPermessageDeflateIsDeclinedAndFramesGoOutUncompressed() throws Exception {
        URI uri = URI.create(server.url("/ws"));
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            // what a browser sends: the JDK client cannot offer extensions, so the handshake is written by hand
            String handshake = "GET /ws?token=" + TestServer.KEY + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            socket.getOutputStream().write(handshake.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).isNotNegative();
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            assertThat(head.toString().toLowerCase(java.util.Locale.ROOT)).doesNotContain("sec-websocket-extensions")
                    .doesNotContain("deflate");
            // the hello frame: FIN and text, RSV1 clear (a compressed message would set it)
            assertThat(in.read()).isEqualTo(0x81);
        }
    }

    private int handshakeStatus(String query) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                    URI.create(server.url("/ws" + query).replaceFirst("^http", "ws")),
                    new java.net.http.WebSocket.Listener() { }).join().abort();
            return 101;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }
}
