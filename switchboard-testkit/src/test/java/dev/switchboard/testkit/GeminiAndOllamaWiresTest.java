package dev.switchboard.testkit;

import static dev.switchboard.testkit.WireRequests.CLIENT;
import static dev.switchboard.testkit.WireRequests.WAIT;
import static dev.switchboard.testkit.WireRequests.post;
import static dev.switchboard.testkit.WireRequests.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiAndOllamaWiresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GEMINI_STREAM = "/v1beta/models/gemini-test:streamGenerateContent?alt=sse";
    private static final String GEMINI_ONCE = "/v1beta/models/gemini-test:generateContent";

    private FakeLlmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void baseUrlsAreTheRootsClientsAppendTo() {
        assertThat(server.geminiBaseUrl()).isEqualTo(server.baseUrl() + "/v1beta");
        assertThat(server.ollamaBaseUrl()).isEqualTo(server.baseUrl());
    }

    @Test
    void geminiStreamSendsThoughtsTextAndAWholeFunctionCallThenFinishAndUsage() throws Exception {
        server.on(Match.any(), Reply.toolCall("get_weather", "{\"city\":\"Paris\"}")
                .withText("Let me check.")
                .withReasoning("The user wants weather.")
                .withUsage(100, 30)
                .withReasoningTokens(10)
                .withCachedTokens(40));

        HttpResponse<String> response = post(server, GEMINI_STREAM, geminiBody("weather?"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> chunks = Sse.parse(response.body()).stream().map(Sse::json).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("modelVersion").asText()).isEqualTo("gemini-test");
            assertThat(c.at("/candidates/0/content/role").asText()).isEqualTo("model");
        });
        List<JsonNode> parts = chunks.stream().flatMap(c -> stream(c.at("/candidates/0/content/parts"))).toList();
        assertThat(joinedText(parts, true)).isEqualTo("The user wants weather.");
        assertThat(joinedText(parts, false)).isEqualTo("Let me check.");
        assertThat(parts.stream().filter(p -> p.has("text")).count()).isGreaterThan(2);
        JsonNode call = parts.stream().filter(p -> p.has("functionCall")).findFirst().orElseThrow();
        assertThat(call.at("/functionCall/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/functionCall/args/city").asText()).isEqualTo("Paris");
        assertThat(call.at("/functionCall").has("id")).as("Gemini sends no call ids").isFalse();
        assertThat(call.path("thoughtSignature").asText()).isNotBlank();

        JsonNode last = chunks.getLast();
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.at("/candidates/0").has("finishReason")).isFalse());
        assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        JsonNode usage = last.path("usageMetadata");
        assertThat(usage.path("promptTokenCount").asInt()).isEqualTo(100);
        assertThat(usage.path("candidatesTokenCount").asInt()).isEqualTo(20);
        assertThat(usage.path("thoughtsTokenCount").asInt()).isEqualTo(10);
        assertThat(usage.path("cachedContentTokenCount").asInt()).isEqualTo(40);
        assertThat(usage.path("totalTokenCount").asInt()).isEqualTo(130);
    }

    @Test
    void geminiNonStreamingAnswersOneCandidateAndIsRecordedFromItsPathAndContents() throws Exception {
        server.on(Match.lastMessageIsToolResult().and(Match.toolOffered("get_weather")),
                Reply.text("18 degrees.").withFinishReason("length"));
        String body = """
                {"contents":[{"role":"user","parts":[{"text":"weather in Paris?"}]},
                             {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
                             {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"r":"18 C"}}}]}],
                 "systemInstruction":{"parts":[{"text":"be brief"}]},
                 "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT"}}]}]}
                """;

        HttpResponse<String> response = post(server, GEMINI_ONCE, body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("18 degrees.");
        assertThat(answer.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
        assertThat(answer.at("/usageMetadata/totalTokenCount").asInt()).isPositive();
        RecordedRequest recorded = server.requests().getFirst();
        assertThat(recorded.wire()).isEqualTo(Wire.GEMINI);
        assertThat(recorded.model()).isEqualTo("gemini-test");
        assertThat(recorded.stream()).isFalse();
        assertThat(recorded.messages()).hasSize(3);
        assertThat(recorded.lastUserText()).as("the tool result turn is skipped").isEqualTo("weather in Paris?");
        assertThat(recorded.systemPrompt()).isEqualTo("be brief");
        assertThat(recorded.toolNames()).containsExactly("get_weather");
        assertThat(Match.anyMessageContains("18 C").test(recorded)).isTrue();
    }

    @Test
    void ollamaStreamSendsJsonLinesEndingInADoneLineWithCounts() throws Exception {
        server.on(Match.any(), Reply.toolCall("get_weather", "{\"city\":\"Oslo\"}")
                .withText("Checking the weather.")
                .withReasoning("Weather needs the tool.")
                .withUsage(90, 25));

        HttpResponse<String> response = post(server, "/api/chat", ollamaBody("weather?", null));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = response.body().lines().map(GeminiAndOllamaWiresTest::json).toList();
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.path("model").asText()).isEqualTo("llama-test");
            assertThat(l.at("/message/role").asText()).isEqualTo("assistant");
        });
        List<JsonNode> messages = lines.stream().map(l -> l.path("message")).toList();
        assertThat(joined(messages, "thinking")).isEqualTo("Weather needs the tool.");
        assertThat(joined(messages, "content")).isEqualTo("Checking the weather.");
        assertThat(messages.stream().filter(m -> !m.path("content").asText().isEmpty()).count()).isGreaterThan(1);
        JsonNode call = messages.stream().filter(m -> m.has("tool_calls")).findFirst().orElseThrow().at("/tool_calls/0");
        assertThat(call.path("id").asText()).startsWith("call_");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments/city").asText()).isEqualTo("Oslo");

        assertThat(lines.subList(0, lines.size() - 1)).allSatisfy(l -> assertThat(l.path("done").asBoolean()).isFalse());
        JsonNode done = lines.getLast();
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("done_reason").asText()).isEqualTo("stop");
        assertThat(done.path("prompt_eval_count").asInt()).isEqualTo(90);
        assertThat(done.path("eval_count").asInt()).isEqualTo(25);
    }

    @Test
    void ollamaNonStreamingAnswersOneObjectAndIsRecordedLikeOpenAi() throws Exception {
        server.on(Match.lastMessageIsToolResult(), Reply.text("Sunny."));
        String body = """
                {"model":"llama-test","stream":false,
                 "messages":[{"role":"system","content":"be brief"},{"role":"user","content":"weather?"},
                             {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{}}}]},
                             {"role":"tool","content":"sunny"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}
                """;

        HttpResponse<String> response = post(server, "/api/chat", body);

        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/message/content").asText()).isEqualTo("Sunny.");
        assertThat(answer.path("done").asBoolean()).isTrue();
        assertThat(answer.path("done_reason").asText()).isEqualTo("stop");
        RecordedRequest recorded = server.requests().getFirst();
        assertThat(recorded.wire()).isEqualTo(Wire.OLLAMA);
        assertThat(recorded.model()).isEqualTo("llama-test");
        assertThat(recorded.stream()).isFalse();
        assertThat(recorded.lastUserText()).isEqualTo("weather?");
        assertThat(recorded.systemPrompt()).isEqualTo("be brief");
        assertThat(recorded.toolNames()).containsExactly("get_weather");
    }

    @Test
    void ollamaStreamsWhenTheRequestDoesNotSay() {
        assertThat(new RecordedRequest(Wire.OLLAMA, "/api/chat", Map.of(), json("{\"model\":\"m\"}"), "{}")
                .stream()).isTrue();
    }

    @Test
    void errorRepliesKeepTheirStatusAndBodyOnBothWires() throws Exception {
        String body = "{\"error\":{\"code\":403,\"message\":\"API key not valid\",\"status\":\"PERMISSION_DENIED\"}}";
        server.on(Match.wire(Wire.GEMINI), Reply.error(403, body))
                .on(Match.wire(Wire.OLLAMA), Reply.error(500, "{\"error\":\"model crashed\"}"));

        HttpResponse<String> gemini = post(server, GEMINI_STREAM, geminiBody("hi"));
        HttpResponse<String> ollama = post(server, "/api/chat", ollamaBody("hi", null));

        assertThat(gemini.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(gemini.body())).isEqualTo(JSON.readTree(body));
        assertThat(ollama.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(ollama.body()).path("error").asText()).isEqualTo("model crashed");
    }

    @Test
    void malformedBodiesAreRejectedInEachWiresOwnErrorShape() throws Exception {
        HttpResponse<String> gemini = post(server, GEMINI_ONCE, "not json");
        HttpResponse<String> ollama = post(server, "/api/chat", "[]");

        assertThat(gemini.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(gemini.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(ollama.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(ollama.body()).path("error").isTextual()).isTrue();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void hangingStreamsNoticeWhenTheClientCloses() throws Exception {
        server.on(Match.any(), Reply.text("never sent").hang());

        int count = 0;
        for (String path : List.of(GEMINI_STREAM, "/api/chat")) {
            String body = path.equals(GEMINI_STREAM) ? geminiBody("wait") : ollamaBody("wait", true);
            HttpResponse<InputStream> response = CLIENT.send(request(server, path, body).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            RecordedRequest recorded = server.awaitRequests(++count, WAIT);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                assertThat(response.statusCode()).isEqualTo(200);
                char[] some = new char[4];
                assertThat(reader.read(some)).isPositive();
                assertThat(new String(some)).doesNotContain("never");
                assertThat(recorded.clientClosed()).isFalse();
            }
            assertThat(recorded.awaitClientClosed(WAIT)).as(path).isTrue();
            assertThat(recorded.completed()).isFalse();
        }
    }

    @Test
    void chunkDelayPacesTheOllamaStream() throws Exception {
        server.on(Match.any(), Reply.text("one two three").chunkDelay(Duration.ofMillis(100)));
        long start = System.nanoTime();

        HttpResponse<String> response = post(server, "/api/chat", ollamaBody("go", true));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.body().lines().count()).isEqualTo(4);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static String joinedText(List<JsonNode> parts, boolean thoughts) {
        return parts.stream()
                .filter(p -> p.has("text") && p.path("thought").asBoolean(false) == thoughts)
                .map(p -> p.path("text").asText())
                .collect(Collectors.joining());
    }

    private static String joined(List<JsonNode> messages, String field) {
        return messages.stream().filter(m -> m.has(field)).map(m -> m.path(field).asText()).collect(Collectors.joining());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static String geminiBody(String userText) {
        return """
                {"contents":[{"role":"user","parts":[{"text":"%s"}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_weather"}]}]}
                """.formatted(userText);
    }

    private static String ollamaBody(String userText, Boolean stream) {
        return """
                {"model":"llama-test",%s"messages":[{"role":"user","content":"%s"}]}
                """.formatted(stream == null ? "" : "\"stream\":" + stream + ",", userText);
    }
}
