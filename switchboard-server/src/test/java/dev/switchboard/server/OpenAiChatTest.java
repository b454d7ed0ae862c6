package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/chat/completions} and {@code /v1/models} over raw HTTP: shapes, errors, conversations. */
class OpenAiChatTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is noon in Paris.").withUsage(40, 8));
        fake.on(Match.lastUserMessageContains("time"), Reply.toolCall("current_time", "{\"timezone\":\"Europe/Paris\"}")
                .withUsage(30, 12));
        fake.otherwise(Reply.text("Hello from the agent.").withUsage(12, 5));
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        server = TestServer.start(home);
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    private static Map<String, Object> user(String text) {
        return Map.of("role", "user", "content", text);
    }

    private TestServer.Reply chat(Map<String, Object> body) {
        return server.post("/v1/chat/completions", body);
    }

    @Test
    void aWholeCompletionHasOpenAisShapeAndNamesItsConversation() {
        TestServer.Reply reply = chat(Map.of("model", "agent:default", "messages", List.of(user("Hi"))));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.path("id").asText()).startsWith("chatcmpl-");
        assertThat(json.path("object").asText()).isEqualTo("chat.completion");
        assertThat(json.path("created").asLong()).isPositive();
        assertThat(json.path("model").asText()).isEqualTo("agent:default");
        JsonNode choice = json.path("choices").get(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello from the agent.");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(json.path("usage").path("prompt_tokens").asLong()).isEqualTo(12);
        assertThat(json.path("usage").path("completion_tokens").asLong()).isEqualTo(5);
        assertThat(json.path("usage").path("total_tokens").asLong()).isEqualTo(17);
        String conversation = json.path("conversation_id").asText();
        assertThat(server.get("/api/sessions/" + conversation + "/history").status()).isEqualTo(200);
    }

    @Test
    void aStreamComesWithoutAnAcceptHeaderAndEndsWithUsageAndDone() throws Exception {
        HttpRequest request = server.request("/v1/chat/completions")
                .POST(TestServer.publisher(Map.of("model", "agent:default", "stream", true,
                        "stream_options", Map.of("include_usage", true), "messages", List.of(user("Hi")))))
                .build();
        var response = server.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = parse(data.subList(0, data.size() - 1));
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.stream().map(c -> c.path("id").asText()).distinct()).hasSize(1);
        assertThat(chunks.getFirst().path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo("Hello from the agent.");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("total_tokens").asLong()).isEqualTo(17);
    }

    @Test
    void serverSideToolsRunAndTheirProgressTravelsInExtraFields() throws Exception {
        HttpRequest request = server.request("/v1/chat/completions")
                .POST(TestServer.publisher(Map.of("model", "agent:default", "stream", true,
                        "messages", List.of(user("What time is it?")))))
                .build();
        String body = server.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();

        List<String> data = dataLines(body);
        List<JsonNode> chunks = parse(data.subList(0, data.size() - 1));
        List<String> progress = chunks.stream().filter(c -> c.has("switchboard"))
                .map(c -> c.path("switchboard").path("event").asText()).toList();
        assertThat(progress).containsExactly("llm:tool-call", "tool:running", "llm:tool-result");
        assertThat(chunks.stream().filter(c -> c.has("switchboard")).findFirst().orElseThrow()
                .path("switchboard").path("toolName").asText()).isEqualTo("current_time");
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo("It is noon in Paris.");
        assertThat(chunks.getLast().path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void conversationIdContinuesTheStoredConversationWithTheLastUserMessage() {
        TestServer.Reply first = chat(Map.of("model", "agent:default", "conversation_id", "trip-1",
                "messages", List.of(user("My name is Ada."))));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("conversation_id").asText()).isEqualTo("trip-1");

        TestServer.Reply second = chat(Map.of("model", "agent:default", "conversation_id", "trip-1",
                "messages", List.of(user("ignored earlier turn"), Map.of("role", "assistant", "content", "ok"),
                        user("What is my name?"))));

        assertThat(second.status()).isEqualTo(200);
        RecordedRequest seen = fake.requests().getLast();
        String sent = seen.messages().toString();
        assertThat(sent).contains("My name is Ada.").contains("What is my name?").doesNotContain("ignored earlier");
        assertThat(server.get("/api/sessions/trip-1/history").json().toString()).contains("What is my name?");
    }

    @Test
    void aStatelessRequestIgnoresStoredHistoryAndUsesExactlyItsMessages() {
        chat(Map.of("model", "agent:default", "conversation_id", "remembered",
                "messages", List.of(user("The secret word is heron."))));

        TestServer.Reply reply = chat(Map.of("model", "test-model", "messages", List.of(
                Map.of("role", "system", "content", "Answer in French."),
                user("Earlier question"), Map.of("role", "assistant", "content", "Earlier answer"),
                user("What is the secret word?"))));

        assertThat(reply.status()).isEqualTo(200);
        RecordedRequest seen = fake.requests().getLast();
        assertThat(seen.messages().toString()).doesNotContain("heron").contains("Earlier question")
                .contains("Earlier answer").contains("What is the secret word?");
        assertThat(seen.systemPrompt()).contains("You are a test agent.").contains("Answer in French.");
        assertThat(reply.json().path("conversation_id").asText()).isNotEqualTo("remembered");
    }

    @Test
    void clientSideFunctionsGoBackToTheClientAndItsResultsContinueTheRun() {
        fake.reset();
        fake.on(Match.lastMessageIsToolResult(), Reply.text("Booked: confirmation X1.").withUsage(20, 6));
        fake.on(Match.toolOffered("book_table"), Reply.toolCall("book_table", "{\"people\":2}").withUsage(18, 4));
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "book_table",
                "description", "Books a table", "parameters", Map.of("type", "object",
                        "properties", Map.of("people", Map.of("type", "integer")))));

        TestServer.Reply asked = chat(Map.of("model", "agent:default", "tools", List.of(tool),
                "messages", List.of(user("Book a table for two"))));

        assertThat(asked.status()).isEqualTo(200);
        JsonNode choice = asked.json().path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("function").path("name").asText()).isEqualTo("book_table");
        assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"people\":2}");
        assertThat(fake.requests().getLast().toolNames()).contains("book_table", "current_time");

        TestServer.Reply answered = chat(Map.of("model", "agent:default", "tools", List.of(tool), "messages", List.of(
                user("Book a table for two"),
                Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", call.path("id").asText(),
                        "type", "function", "function", Map.of("name", "book_table", "arguments", "{\"people\":2}")))),
                Map.of("role", "tool", "tool_call_id", call.path("id").asText(), "content", "confirmation X1"))));

        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.json().path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("Booked: confirmation X1.");
        assertThat(fake.requests().getLast().messages().toString()).contains("confirmation X1");
    }

    @Test
    void aClientThatDisconnectsMidStreamLosesNothingStored() throws Exception {
        fake.reset();
        fake.otherwise(Reply.text("one two three four five six seven eight nine ten")
                .chunkDelay(java.time.Duration.ofMillis(100)));
        HttpRequest request = server.request("/v1/chat/completions")
                .POST(TestServer.publisher(Map.of("model", "agent:default", "stream", true,
                        "messages", List.of(user("Count to ten")))))
                .build();
        var response = server.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        String conversation;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            while (!line.startsWith("data: ")) {
                line = reader.readLine();
            }
            conversation = TestServer.JSON.readTree(line.substring(6)).path("conversation_id").asText();
        }

        JsonNode history = null;
        for (int i = 0; i < 100; i++) {
            history = server.get("/api/sessions/" + conversation + "/history").json().path("history");
            if (history.size() == 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(history).hasSize(2);
        assertThat(history.get(0).toString()).contains("Count to ten");
        assertThat(history.get(1).toString()).contains("one two three four five six seven eight nine ten");
    }

    @Test
    void anEmergencyStopEndsAStreamingCompletionCleanlyAndClosesTheProviderCall() throws Exception {
        fake.reset();
        fake.otherwise(Reply.text("never finished").hang());
        HttpRequest request = server.request("/v1/chat/completions")
                .POST(TestServer.publisher(Map.of("model", "agent:default", "stream", true,
                        "stream_options", Map.of("include_usage", true), "messages", List.of(user("Go on forever")))))
                .build();
        var response = server.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        fake.awaitRequests(1, java.time.Duration.ofSeconds(10));

        TestServer.Reply stop = server.post("/v1/emergency-stop", Map.of());
        assertThat(stop.json().path("stopped")).hasSize(1);
        assertThat(fake.requests().getFirst().awaitClientClosed(java.time.Duration.ofSeconds(5))).isTrue();

        List<String> data = new ArrayList<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        }
        // the stream ends as OpenAI streams end: a finish reason, then [DONE]; no half-written chunk
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String chunk : data.subList(0, data.size() - 1)) {
            chunks.add(TestServer.JSON.readTree(chunk));
        }
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.stream().map(c -> c.path("choices").path(0).path("finish_reason").asText(""))
                .filter(f -> !f.isEmpty()).toList()).containsExactly("stop");
        server.post("/v1/emergency-stop/resume", Map.of());
    }

    @Test
    void aProviderFailureIsAnOpenAiErrorWholeAndAnErrorEventStreamed() throws Exception {
        fake.reset();
        fake.otherwise(Reply.error(500, "{\"error\":{\"message\":\"the provider broke\"}}"));

        TestServer.Reply whole = chat(Map.of("model", "agent:default", "messages", List.of(user("Hi"))));
        assertThat(whole.status()).isEqualTo(502);
        assertThat(whole.json().path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(whole.json().path("error").path("code").asText()).isEqualTo("llm_error");

        HttpRequest request = server.request("/v1/chat/completions")
                .POST(TestServer.publisher(Map.of("model", "agent:default", "stream", true,
                        "messages", List.of(user("Hi")))))
                .build();
        List<String> data = dataLines(server.http.send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode error = TestServer.JSON.readTree(data.get(data.size() - 2));
        assertThat(error.path("error").path("code").asText()).isEqualTo("llm_error");
        assertThat(error.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void imagePartsWithDataUrlsReachTheModel() {
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
        TestServer.Reply reply = chat(Map.of("model", "agent:default", "messages", List.of(Map.of("role", "user",
                "content", List.of(Map.of("type", "text", "text", "What is in this picture?"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64," + png)))))));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(fake.requests().getLast().messages().toString()).contains("What is in this picture?")
                .contains("data:image/png;base64," + png.substring(0, 20));
        TestServer.Reply audio = chat(Map.of("model", "agent:default", "messages", List.of(Map.of("role", "user",
                "content", List.of(Map.of("type", "input_audio", "input_audio", Map.of("data", "AAAA")))))));
        assertThat(audio.status()).isEqualTo(400);
        assertThat(audio.json().path("error").path("param").asText()).isEqualTo("messages[0].content[0].type");
    }

    @Test
    void anotherUsersConversationIdNeitherReadsNorExtendsTheirConversation() {
        chat(Map.of("model", "agent:default", "conversation_id", "operators-talk",
                "messages", List.of(user("The vault code is 4711."))));
        server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
        String bob = server.login("bob", IdentityTest.BOB_PASSWORD);
        int before = fake.requests().size();

        TestServer.Reply reply = server.as(bob).post("/v1/chat/completions", Map.of("model", "agent:default",
                "conversation_id", "operators-talk", "messages", List.of(user("What is the vault code?"))));

        assertThat(reply.status()).isIn(200, 404, 409);
        assertThat(reply.body()).doesNotContain("4711");
        assertThat(fake.requests().subList(before, fake.requests().size()))
                .allSatisfy(seen -> assertThat(seen.messages().toString()).doesNotContain("4711"));
        assertThat(server.get("/api/sessions/operators-talk/history").body()).doesNotContain("What is the vault code?");
    }

    @Test
    void mistakesAnswerInOpenAisErrorShapeNamingTheParameter() throws Exception {
        TestServer.Reply unknownModel = chat(Map.of("model", "no-such-model", "messages", List.of(user("Hi"))));
        assertThat(unknownModel.status()).isEqualTo(404);
        assertOpenAiError(unknownModel.json(), "invalid_request_error", "model", "model_not_found");

        TestServer.Reply empty = chat(Map.of("model", "agent:default", "messages", List.of()));
        assertThat(empty.status()).isEqualTo(400);
        assertOpenAiError(empty.json(), "invalid_request_error", "messages", "invalid_value");

        TestServer.Reply badRole = chat(Map.of("model", "agent:default",
                "messages", List.of(Map.of("role", "wizard", "content", "Hi"))));
        assertThat(badRole.status()).isEqualTo(400);
        assertOpenAiError(badRole.json(), "invalid_request_error", "messages[0].role", "invalid_value");

        TestServer.Reply twoChoices = chat(Map.of("model", "agent:default", "n", 2, "messages", List.of(user("Hi"))));
        assertThat(twoChoices.status()).isEqualTo(400);
        assertThat(twoChoices.json().path("error").path("param").asText()).isEqualTo("n");

        TestServer.Reply malformed = server.send(server.request("/v1/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"agent:default\", \"messages\": [")));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(malformed.json().path("error").path("message").asText()).contains("malformed JSON");

        TestServer.Reply noKey = server.as(null).post("/v1/chat/completions", Map.of("model", "agent:default"));
        assertThat(noKey.status()).isEqualTo(401);
        assertOpenAiError(noKey.json(), "authentication_error", null, "invalid_api_key");

        TestServer.Reply native_ = server.post("/api/message-sync", Map.of());
        assertThat(native_.json().path("error").has("details")).as("the rest keeps its own shape").isTrue();
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void modelsListAgentsAndTheirModelsAndOneProvidersModels() {
        JsonNode list = server.get("/v1/models").json();
        assertThat(list.path("object").asText()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(m -> {
            assertThat(m.path("object").asText()).isEqualTo("model");
            assertThat(m.path("created").asLong()).isPositive();
            ids.add(m.path("id").asText());
        });
        assertThat(ids).containsExactly("agent:default", "test-model");

        JsonNode ofProvider = server.get("/v1/models/openai-compatible").json();
        assertThat(ofProvider.path("data").get(0).path("id").asText()).isEqualTo("test-model");
        assertThat(ofProvider.path("data").get(0).path("owned_by").asText()).isEqualTo("openai-compatible");
        assertThat(server.get("/v1/models?providerId=anthropic").json().path("data")).isEmpty();
        assertThat(server.get("/v1/models/agent:default").json().path("id").asText()).isEqualTo("agent:default");

        TestServer.Reply unknown = server.get("/v1/models/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertOpenAiError(unknown.json(), "invalid_request_error", "model", "model_not_found");
    }

    private static void assertOpenAiError(JsonNode body, String type, String param, String code) {
        JsonNode error = body.path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo(type);
        if (param == null) {
            assertThat(error.path("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.has("details")).isFalse();
    }

    static List<String> dataLines(String body) {
        return body.lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
    }

    static List<JsonNode> parse(List<String> data) throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : data) {
            parsed.add(TestServer.JSON.readTree(line));
        }
        return parsed;
    }
}
