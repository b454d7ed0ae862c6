package dev.switchboard.testkit;

import static dev.switchboard.testkit.WireRequests.CLIENT;
import static dev.switchboard.testkit.WireRequests.WAIT;
import static dev.switchboard.testkit.WireRequests.post;
import static dev.switchboard.testkit.WireRequests.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeLlmServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void openAiStreamSendsReasoningTextAndASplitToolCallThenUsageAndDone() throws Exception {
        server.on(Match.any(), Reply.toolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}")
                .withText("Let me check the weather.")
                .withReasoning("The user wants weather, so call the tool.")
                .withReasoningTokens(7));

        HttpResponse<String> response = post(server, "/v1/chat/completions", openAiBody("gpt-test", "weather?", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<Sse> events = Sse.parse(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Sse::json).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("model").asText()).isEqualTo("gpt-test");
        });
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");

        List<JsonNode> deltas = chunks.stream()
                .filter(c -> !c.path("choices").isEmpty())
                .map(c -> c.at("/choices/0/delta"))
                .toList();
        assertThat(joined(deltas, "reasoning_content")).isEqualTo("The user wants weather, so call the tool.");
        assertThat(deltas.stream().filter(d -> d.has("reasoning_content")).count()).isGreaterThan(1);
        assertThat(joined(deltas, "content")).isEqualTo("Let me check the weather.");
        assertThat(deltas.stream().filter(d -> !d.path("content").asText().isEmpty()).count()).isGreaterThan(1);

        List<JsonNode> toolDeltas = deltas.stream().filter(d -> d.has("tool_calls")).map(d -> d.at("/tool_calls/0")).toList();
        assertThat(toolDeltas).hasSizeGreaterThan(2);
        JsonNode opening = toolDeltas.getFirst();
        assertThat(opening.path("index").asInt()).isZero();
        assertThat(opening.path("id").asText()).startsWith("call_");
        assertThat(opening.path("type").asText()).isEqualTo("function");
        assertThat(opening.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(opening.at("/function/arguments").asText()).isEmpty();
        assertThat(toolDeltas.subList(1, toolDeltas.size())).allSatisfy(d -> {
            assertThat(d.has("id")).isFalse();
            assertThat(d.path("function").has("name")).isFalse();
        });
        String arguments = toolDeltas.stream().map(d -> d.at("/function/arguments").asText()).collect(Collectors.joining());
        assertThat(JSON.readTree(arguments)).isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));

        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(7);
        assertThat(usageChunk.at("/usage/total_tokens").asInt())
                .isEqualTo(usageChunk.at("/usage/prompt_tokens").asInt() + usageChunk.at("/usage/completion_tokens").asInt());
    }

    @Test
    void openAiNonStreamingReturnsAChatCompletion() throws Exception {
        server.on(Match.any(), Reply.text("Hello there").withUsage(12, 3).withCachedTokens(4));

        HttpResponse<String> response = post(server, "/chat/completions", openAiBody("gpt-test", "hi", false));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode completion = JSON.readTree(response.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("model").asText()).isEqualTo("gpt-test");
        assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Hello there");
        assertThat(completion.at("/choices/0/message").has("tool_calls")).isFalse();
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(12);
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(15);
        assertThat(completion.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void openAiNonStreamingToolCallHasNullContentAndScriptedFinishReason() throws Exception {
        server.on(Match.any(), Reply.toolCalls(
                new ToolCallSpec("call_a", "one", "{}"), new ToolCallSpec(null, "two", "{\"x\":1}")));
        server.otherwise(Reply.text("cut").withFinishReason("max_tokens"));

        JsonNode tools = JSON.readTree(post(server, "/v1/chat/completions", openAiBody("m", "go", false)).body());
        server.reset();
        server.otherwise(Reply.text("cut").withFinishReason("max_tokens"));
        JsonNode cut = JSON.readTree(post(server, "/v1/chat/completions", openAiBody("m", "go", false)).body());

        assertThat(tools.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(tools.at("/choices/0/message/tool_calls/0/id").asText()).isEqualTo("call_a");
        assertThat(tools.at("/choices/0/message/tool_calls/1/id").asText()).startsWith("call_");
        assertThat(tools.at("/choices/0/message/tool_calls/1/function/arguments").asText()).isEqualTo("{\"x\":1}");
        assertThat(tools.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(cut.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void anthropicStreamSplitsToolInputIntoJsonDeltasThatReassemble() throws Exception {
        String arguments = "{\"path\":\"/tmp/notes.txt\",\"lines\":[1,2,3]}";
        server.on(Match.wire(Wire.ANTHROPIC), Reply.toolCall("read_file", arguments)
                .withText("Reading it now.")
                .withReasoning("I should read the file."));

        HttpResponse<String> response = post(server, "/v1/messages", anthropicBody("claude-test", "read notes", true));

        assertThat(response.statusCode()).isEqualTo(200);
        List<Sse> events = Sse.parse(response.body());
        assertThat(events).allSatisfy(e -> assertThat(e.json().path("type").asText()).isEqualTo(e.event()));
        assertThat(events.getFirst().event()).isEqualTo("message_start");
        assertThat(events.getFirst().json().at("/message/usage/input_tokens").asInt()).isPositive();
        assertThat(events.getFirst().json().at("/message/model").asText()).isEqualTo("claude-test");
        assertThat(events.getLast().event()).isEqualTo("message_stop");

        List<JsonNode> starts = ofType(events, "content_block_start").stream().map(e -> e.path("content_block")).toList();
        assertThat(starts).extracting(b -> b.path("type").asText()).containsExactly("thinking", "text", "tool_use");
        JsonNode toolStart = starts.get(2);
        assertThat(toolStart.path("id").asText()).startsWith("toolu_");
        assertThat(toolStart.path("name").asText()).isEqualTo("read_file");
        assertThat(toolStart.path("input").isEmpty()).isTrue();

        List<JsonNode> deltas = ofType(events, "content_block_delta").stream().map(e -> e.path("delta")).toList();
        assertThat(joinedDeltas(deltas, "thinking_delta", "thinking")).isEqualTo("I should read the file.");
        assertThat(deltas).anySatisfy(d -> assertThat(d.path("type").asText()).isEqualTo("signature_delta"));
        assertThat(joinedDeltas(deltas, "text_delta", "text")).isEqualTo("Reading it now.");
        List<JsonNode> jsonDeltas = deltas.stream().filter(d -> d.path("type").asText().equals("input_json_delta")).toList();
        assertThat(jsonDeltas.stream().filter(d -> !d.path("partial_json").asText().isEmpty()).count()).isGreaterThan(1);
        String reassembled = joinedDeltas(deltas, "input_json_delta", "partial_json");
        assertThat(JSON.readTree(reassembled)).isEqualTo(JSON.readTree(arguments));
        assertThat(ofType(events, "content_block_stop")).hasSize(3);

        JsonNode messageDelta = ofType(events, "message_delta").getFirst();
        assertThat(messageDelta.at("/delta/stop_reason").asText()).isEqualTo("tool_use");
        assertThat(messageDelta.at("/usage/output_tokens").asInt()).isPositive();
    }

    @Test
    void anthropicNonStreamingReturnsContentBlocks() throws Exception {
        server.on(Match.any(), Reply.toolCall("lookup", "{\"q\":\"x\"}").withText("Looking.").withReasoning("hmm"));

        JsonNode message = JSON.readTree(post(server, "/messages", anthropicBody("claude-test", "find x", false)).body());

        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content")).extracting(b -> b.path("type").asText())
                .containsExactly("thinking", "text", "tool_use");
        assertThat(message.at("/content/2/input/q").asText()).isEqualTo("x");
        assertThat(message.at("/content/2/id").asText()).startsWith("toolu_");
        assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(message.at("/usage/input_tokens").asInt()).isPositive();
        assertThat(message.at("/usage/output_tokens").asInt()).isPositive();
    }

    @Test
    void rulesApplyInOrderAndLimitedRulesFallThrough() throws Exception {
        server.on(Match.lastUserMessageContains("weather"), Reply.text("first").times(2))
                .on(Match.lastUserMessageContains("weather"), Reply.text("second"))
                .on(Match.any(), Reply.text("never reached for weather"))
                .otherwise(Reply.text("fallback"));

        List<String> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(contentOf(post(server, "/v1/chat/completions", openAiBody("m", "the weather?", false))));
        }
        answers.add(contentOf(post(server, "/v1/chat/completions", openAiBody("m", "something else", false))));

        assertThat(answers).containsExactly("first", "first", "second", "never reached for weather");
        server.reset();
        assertThat(server.requests()).isEmpty();
        assertThat(contentOf(post(server, "/v1/chat/completions", openAiBody("m", "the weather?", false)))).isEqualTo("ok");
    }

    @Test
    void errorReplyKeepsItsStatusBodyAndRetryAfterOnBothWires() throws Exception {
        String body = "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}";
        server.on(Match.any(), Reply.error(429, body).withHeader("Retry-After", "1").times(2))
                .on(Match.any(), Reply.text("recovered"));

        HttpResponse<String> openAi = post(server, "/v1/chat/completions", openAiBody("m", "hi", true));
        HttpResponse<String> anthropic = post(server, "/v1/messages", anthropicBody("m", "hi", true));
        HttpResponse<String> third = post(server, "/v1/chat/completions", openAiBody("m", "hi", false));

        for (HttpResponse<String> limited : List.of(openAi, anthropic)) {
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
            assertThat(limited.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(JSON.readTree(limited.body())).isEqualTo(JSON.readTree(body));
        }
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(contentOf(third)).isEqualTo("recovered");
    }

    @Test
    void hangingStreamNoticesWhenTheClientCloses() throws Exception {
        server.on(Match.any(), Reply.text("never sent").hang());

        HttpResponse<InputStream> response = CLIENT.send(
                request(server, "/v1/chat/completions", openAiBody("m", "wait", true)).build(), HttpResponse.BodyHandlers.ofInputStream());
        RecordedRequest recorded = server.awaitRequests(1, WAIT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("data: ").contains("\"role\":\"assistant\"");
            assertThat(reader.readLine()).isEmpty();
            assertThat(reader.readLine()).isEqualTo(": keep-alive");
            assertThat(recorded.clientClosed()).isFalse();
        }

        assertThat(recorded.awaitClientClosed(WAIT)).isTrue();
        assertThat(recorded.completed()).isFalse();
    }

    @Test
    void closingTheServerAbandonsAHangingReplyPromptly() throws Exception {
        server.on(Match.any(), Reply.text("never sent").hang());
        var pending = CLIENT.sendAsync(
                request(server, "/v1/messages", anthropicBody("m", "wait", true)).build(), HttpResponse.BodyHandlers.ofString());
        RecordedRequest recorded = server.awaitRequests(1, WAIT);

        long start = System.nanoTime();
        server.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(pending).failsWithin(WAIT);
        assertThat(recorded.completed()).isFalse();
    }

    @Test
    void requestsAreRecordedWithWhatTheyAsked() throws Exception {
        String anthropic = """
                {"model":"claude-test","stream":false,"system":[{"type":"text","text":"You are terse."}],
                 "tools":[{"name":"read_file","input_schema":{"type":"object"}}],
                 "messages":[
                   {"role":"user","content":"please read notes"},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"read_file","input":{}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"secret contents"}]}]}
                """;
        server.on(Match.lastMessageIsToolResult().and(Match.systemPromptContains("terse")), Reply.text("done"));

        post(server, "/v1/chat/completions", openAiBody("gpt-test", "first question", false));
        HttpResponse<String> second = CLIENT.send(request(server, "/v1/messages", anthropic)
                        .header("x-api-key", "test-key").build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest last = server.awaitRequests(2, WAIT);
        List<RecordedRequest> all = server.requests();
        assertThat(all).hasSize(2);
        assertThat(all.getFirst().wire()).isEqualTo(Wire.OPENAI);
        assertThat(all.getFirst().lastUserText()).isEqualTo("first question");
        assertThat(all.getFirst().model()).isEqualTo("gpt-test");
        assertThat(all.getFirst().systemPrompt()).isEqualTo("be brief");
        assertThat(all.getFirst().toolNames()).containsExactly("get_weather");
        assertThat(all.getFirst().stream()).isFalse();
        assertThat(last).isSameAs(all.get(1));
        assertThat(last.wire()).isEqualTo(Wire.ANTHROPIC);
        assertThat(last.path()).isEqualTo("/v1/messages");
        assertThat(last.lastUserText()).isEqualTo("please read notes");
        assertThat(last.systemPrompt()).isEqualTo("You are terse.");
        assertThat(last.toolNames()).containsExactly("read_file");
        assertThat(last.header("X-API-KEY")).isEqualTo("test-key");
        assertThat(last.messages()).hasSize(3);
        assertThat(Match.anyMessageContains("secret contents").test(last)).isTrue();
        assertThat(Match.toolOffered("write_file").test(last)).isFalse();
        assertThat(JSON.readTree(second.body()).at("/content/0/text").asText()).isEqualTo("done");
        assertThat(last.awaitCompleted(WAIT)).isTrue();
        assertThatThrownBy(() -> server.awaitRequests(3, Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void malformedJsonIsRejectedAndUnknownPathsAreNotFound() throws Exception {
        HttpResponse<String> malformed = post(server, "/v1/chat/completions", "{not json");
        HttpResponse<String> unknown = post(server, "/v1/no-such-endpoint", "{}");
        HttpResponse<String> models = CLIENT.send(
                HttpRequest.newBuilder(URI.create(server.openAiBaseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(models.body()).path("object").asText()).isEqualTo("list");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void oneConnectionCarriesManyRequests() throws Exception {
        byte[] body = openAiBody("m", "hi", false).getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(head);
                out.write(body);
                out.flush();
                assertThat(readHttpResponse(in)).contains("\"content\":\"ok\"");
            }
        }
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void scriptedDelaysPaceTheReply() throws Exception {
        server.on(Match.any(), Reply.text("a b c").delayFirstByte(Duration.ofMillis(100)).chunkDelay(Duration.ofMillis(20)));

        long start = System.nanoTime();
        HttpResponse<String> response = post(server, "/v1/chat/completions", openAiBody("m", "hi", true));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(100 + 20 * 5);
    }

    private static String openAiBody(String model, String userText, boolean stream) {
        return """
                {"model":"%s","stream":%s,"stream_options":{"include_usage":true},
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                 "messages":[{"role":"system","content":"be brief"},{"role":"user","content":"%s"}]}
                """.formatted(model, stream, userText);
    }

    private static String anthropicBody(String model, String userText, boolean stream) {
        return """
                {"model":"%s","max_tokens":1024,"stream":%s,"system":"be brief",
                 "messages":[{"role":"user","content":[{"type":"text","text":"%s"}]}]}
                """.formatted(model, stream, userText);
    }

    private static String contentOf(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).at("/choices/0/message/content").asText();
    }

    private static String joined(List<JsonNode> deltas, String field) {
        return deltas.stream().filter(d -> d.has(field)).map(d -> d.path(field).asText()).collect(Collectors.joining());
    }

    private static String joinedDeltas(List<JsonNode> deltas, String type, String field) {
        return deltas.stream()
                .filter(d -> d.path("type").asText().equals(type))
                .map(d -> d.path(field).asText())
                .collect(Collectors.joining());
    }

    private static List<JsonNode> ofType(List<Sse> events, String type) {
        return events.stream().filter(e -> type.equals(e.event())).map(Sse::json).toList();
    }

    /** Reads one fixed-length HTTP/1.1 response, leaving the stream at the start of the next. */
    private static String readHttpResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = head.toString().lines()
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim()))
                .findFirst()
                .orElseThrow();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
