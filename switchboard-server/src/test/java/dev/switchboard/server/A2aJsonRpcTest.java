package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the A2A face answers JSON-RPC errors with the right codes (REST: A2A's error shape), never a 500. */
class A2aJsonRpcTest {

    @TempDir
    static Path home;

    static FakeLlmServer fake;
    static TestServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        fake.otherwise(Reply.text("Hello."));
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.close();
    }

    static JsonNode rpc(String version, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url("/jsonrpc")))
                .header("Authorization", "Bearer " + TestServer.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (version != null) {
            request.header("A2A-Version", version);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.JSON.readTree(response.body());
    }

    static int code(JsonNode reply) {
        return reply.path("error").path("code").asInt();
    }

    @Test
    void malformedRequestsGetJsonRpcErrorCodes() throws Exception {
        assertThat(code(rpc("1.0", "{\"jsonrpc\": \"2.0\", "))).isEqualTo(-32700);
        assertThat(code(rpc(null, "[1, 2]"))).isEqualTo(-32600);
        assertThat(code(rpc("1.0", "{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"GetTask\"}"))).isEqualTo(-32600);
        assertThat(code(rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 1}"))).isEqualTo(-32600);
        JsonNode unknown = rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"tasks/teleport\"}");
        assertThat(code(unknown)).isEqualTo(-32601);
        assertThat(unknown.path("id").asInt()).isEqualTo(7);
        // the header picks the version: v0.3 names under 1.0 and v1.0 names under 0.3 are unknown
        assertThat(code(rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tasks/get\", "
                + "\"params\": {\"id\": \"x\"}}"))).isEqualTo(-32601);
        assertThat(code(rpc(null, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"GetTask\", "
                + "\"params\": {\"id\": \"x\"}}"))).isEqualTo(-32601);
        assertThat(code(rpc("7.0", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"GetTask\"}"))).isEqualTo(-32009);
        JsonNode noMessage = rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"SendMessage\", "
                + "\"params\": {}}");
        assertThat(code(noMessage)).isEqualTo(-32602);
        assertThat(noMessage.path("error").path("data").path("field").asText()).isEqualTo("params.message");
        JsonNode noParts = rpc(null, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"message/send\", \"params\": "
                + "{\"message\": {\"kind\": \"message\", \"role\": \"user\", \"messageId\": \"m\", \"parts\": []}}}");
        assertThat(noParts.path("error").path("data").path("field").asText()).isEqualTo("params.message.parts");
    }

    @Test
    void unknownTasksAndAgentsAreErrorsOfTheirOwn() throws Exception {
        assertThat(code(rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"GetTask\", "
                + "\"params\": {\"id\": \"task-nope\"}}"))).isEqualTo(-32001);
        assertThat(code(rpc(null, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tasks/cancel\", "
                + "\"params\": {\"id\": \"task-nope\"}}"))).isEqualTo(-32001);
        JsonNode agent = rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"SendMessage\", \"params\": "
                + "{\"message\": {\"role\": \"ROLE_USER\", \"messageId\": \"m\", \"parts\": [{\"text\": \"hi\"}], "
                + "\"metadata\": {\"agentId\": \"nobody\"}}}}");
        assertThat(code(agent)).isEqualTo(-32602);
        assertThat(agent.path("error").path("data").path("field").asText()).isEqualTo("agentId");

        TestServer.Reply rest = server.get("/v1/tasks/task-nope");
        assertThat(rest.status()).isEqualTo(404);
        assertThat(rest.json().path("error").path("details").get(0).path("reason").asText())
                .isEqualTo("TASK_NOT_FOUND");
        TestServer.Reply badBody = server.post("/v1/message:send", Map.of("message", Map.of("parts", List.of())));
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(badBody.json().path("error").path("details").get(0).path("metadata").path("field").asText())
                .isEqualTo("params.message.parts");
    }

    @Test
    void aCompletedTaskCannotBeCancelledAndPushUrlsFollowTheAddressPolicy() throws Exception {
        JsonNode sent = rpc(null, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"message/send\", \"params\": "
                + "{\"message\": {\"kind\": \"message\", \"role\": \"user\", \"messageId\": \"m\", "
                + "\"parts\": [{\"kind\": \"text\", \"text\": \"hi\"}]}}}");
        assertThat(sent.path("result").path("kind").asText()).isEqualTo("task");
        assertThat(sent.path("result").path("status").path("state").asText()).isEqualTo("completed");
        String taskId = sent.path("result").path("id").asText();
        assertThat(code(rpc(null, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tasks/cancel\", "
                + "\"params\": {\"id\": \"" + taskId + "\"}}"))).isEqualTo(-32002);
        // the default policy of http_request: no loopback targets
        JsonNode refused = rpc("1.0", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"CreateTaskPushNotificationConfig\", \"params\": {\"taskId\": \"" + taskId + "\", "
                + "\"url\": \"http://127.0.0.1:9/hook\", \"token\": \"t\"}}");
        assertThat(code(refused)).isEqualTo(-32602);
        assertThat(refused.path("error").path("data").path("field").asText()).isEqualTo("params.url");
    }
}
