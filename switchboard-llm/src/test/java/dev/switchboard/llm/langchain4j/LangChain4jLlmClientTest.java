package dev.switchboard.llm.langchain4j;

import static dev.switchboard.llm.langchain4j.Conversations.assistantCalling;
import static dev.switchboard.llm.langchain4j.Conversations.request;
import static dev.switchboard.llm.langchain4j.Conversations.toolResult;
import static dev.switchboard.llm.langchain4j.Conversations.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.session.Message;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LangChain4jLlmClientTest {

    private static final String KEY = "sk-test-secret-key-1234";
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather for a city", """
            {"type": "object",
             "properties": {"city": {"type": "string", "description": "City name"},
                            "unit": {"type": "string", "enum": ["c", "f"]}},
             "required": ["city"]}
            """);

    private final LangChain4jLlmClient client = new LangChain4jLlmClient(blobId -> Optional.empty(), Duration.ofMillis(20));
    private FakeLlmServer fake;

    @BeforeEach
    void startFake() {
        fake = FakeLlmServer.start();
    }

    @AfterEach
    void stopFake() throws Exception {
        fake.close();
    }

    @Test
    void openAiStreamsTextAndReasoningAndReportsUsage() {
        fake.on(Match.any(), Reply.text("Hello there, traveller!")
                .withReasoning("The user greets me.")
                .withUsage(120, 40)
                .withReasoningTokens(12)
                .withCachedTokens(64));
        StreamRecorder recorder = new StreamRecorder();

        LlmResponse response = client.stream(request(openAi(2), List.of(user("hi")), List.of()), recorder,
                new Cancellation());

        assertThat(recorder.text()).isEqualTo("Hello there, traveller!");
        assertThat(recorder.textDeltas).isGreaterThan(1);
        assertThat(recorder.reasoning()).isEqualTo("The user greets me.");
        assertThat(response.text()).isEqualTo("Hello there, traveller!");
        assertThat(response.reasoning()).isEqualTo("The user greets me.");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new TokenUsage(120, 40, 12, 64));
        assertThat(response.provider()).isEqualTo("openai");
        assertThat(response.model()).isNotBlank();
    }

    @Test
    void openAiAssemblesAToolCallSplitAcrossChunks() {
        fake.on(Match.any(), Reply.toolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}").withUsage(80, 20));

        LlmResponse response = client.stream(request(openAi(2), List.of(user("weather in Paris?")), List.of(WEATHER)),
                new StreamRecorder(), new Cancellation());

        assertThat(response.finishReason()).isEqualTo("tool-calls");
        assertThat(response.toolCalls()).hasSize(1);
        ToolCall call = response.toolCalls().getFirst();
        assertThat(call.id()).isNotBlank();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Paris\",\"unit\":\"c\"}");
        assertThat(response.usage().inputTokens()).isEqualTo(80);
        assertThat(response.usage().outputTokens()).isEqualTo(20);
    }

    @Test
    void openAiRequestCarriesToolSchemaAndTheWholeConversation() {
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is 18 degrees in Paris."));
        List<Message> conversation = List.of(
                user("weather in Paris?"),
                assistantCalling(new ToolCall("call_42", "get_weather", "{\"city\":\"Paris\"}")),
                toolResult("call_42", "get_weather", "18 C, cloudy"));

        LlmResponse response = client.stream(request(openAi(0), conversation, List.of(WEATHER)), new StreamRecorder(),
                new Cancellation());

        assertThat(response.text()).isEqualTo("It is 18 degrees in Paris.");
        JsonNode body = fake.requests().getFirst().body();
        assertThat(body.path("model").asText()).isEqualTo("gpt-test");
        assertThat(body.path("stream").asBoolean()).isTrue();
        JsonNode function = body.path("tools").get(0).path("function");
        assertThat(function.path("name").asText()).isEqualTo("get_weather");
        assertThat(function.path("parameters").path("properties").path("city").path("type").asText()).isEqualTo("string");
        assertThat(function.path("parameters").path("required").get(0).asText()).isEqualTo("city");
        JsonNode messages = body.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).path("content").asText()).isEqualTo("You are a test.");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_42");
        assertThat(messages.get(2).path("tool_calls").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");
        assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_42");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("18 C, cloudy");
        assertThat(fake.requests().getFirst().header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void anthropicStreamsThinkingAndToolUse() {
        fake.on(Match.any(), Reply.toolCall("get_weather", "{\"city\":\"Oslo\"}")
                .withReasoning("I should look up the weather.")
                .withUsage(200, 50));
        StreamRecorder recorder = new StreamRecorder();
        LlmSettings settings = new LlmSettings(Providers.ANTHROPIC, "claude-test", KEY, fake.anthropicBaseUrl(), 10,
                null, 4096, null, "low", 10, 0);

        LlmResponse response = client.stream(request(settings, List.of(user("weather in Oslo?")), List.of(WEATHER)),
                recorder, new Cancellation());

        assertThat(recorder.reasoning()).isEqualTo("I should look up the weather.");
        assertThat(response.reasoning()).isEqualTo("I should look up the weather.");
        assertThat(response.finishReason()).isEqualTo("tool-calls");
        assertThat(response.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isNotBlank();
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        });
        assertThat(response.usage().inputTokens()).isEqualTo(200);
        assertThat(response.usage().outputTokens()).isEqualTo(50);
        assertThat(response.provider()).isEqualTo("anthropic");
        var seen = fake.requests().getFirst();
        assertThat(seen.header("x-api-key")).isEqualTo(KEY);
        assertThat(seen.body().path("thinking").path("type").asText()).isEqualTo("enabled");
        assertThat(seen.body().path("thinking").path("budget_tokens").asInt()).isEqualTo(2048);
        assertThat(seen.toolNames()).containsExactly("get_weather");
    }

    @Test
    void anthropicThinksOnlyWhenTheToolTurnBeingAnsweredCarriesItsSignedThinking() {
        fake.on(Match.lastMessageIsToolResult(), Reply.text("Sunny in Oslo."));
        LlmSettings settings = new LlmSettings(Providers.ANTHROPIC, "claude-test", KEY, fake.anthropicBaseUrl(), 10,
                null, 4096, null, "low", 10, 0);
        List<Message> conversation = List.of(
                user("weather in Oslo?"),
                assistantCalling(new ToolCall("toolu_from_elsewhere", "get_weather", "{\"city\":\"Oslo\"}")),
                toolResult("toolu_from_elsewhere", "get_weather", "sunny"));

        LlmResponse response = client.stream(request(settings, conversation, List.of(WEATHER)), new StreamRecorder(),
                new Cancellation());

        assertThat(response.text()).isEqualTo("Sunny in Oslo.");
        JsonNode body = fake.requests().getFirst().body();
        assertThat(body.has("thinking")).as("thinking left off, Anthropic would refuse it").isFalse();
        JsonNode toolResult = body.path("messages").get(2).path("content").get(0);
        assertThat(toolResult.path("type").asText()).isEqualTo("tool_result");
        assertThat(toolResult.path("tool_use_id").asText()).isEqualTo("toolu_from_elsewhere");
    }

    @Test
    void imagesAreSentInlineFromTheBlobStore() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        LangChain4jLlmClient withBlobs = new LangChain4jLlmClient(
                id -> id.equals("blob-1") ? Optional.of(png) : Optional.empty(), Duration.ofMillis(20));
        fake.on(Match.any(), Reply.text("A tiny image."));
        Message message = Message.user("m-img", "s1", List.of(new TextPart("what is this?"),
                new ImagePart("image/png", "blob-1", null)), Instant.now());

        withBlobs.stream(request(openAi(0), List.of(message), List.of()), new StreamRecorder(), new Cancellation());

        JsonNode content = fake.requests().getFirst().body().path("messages").get(1).path("content");
        assertThat(content.get(0).path("text").asText()).isEqualTo("what is this?");
        assertThat(content.get(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    }

    @Test
    void cancelDuringTheStreamClosesTheConnection() throws Exception {
        fake.on(Match.any(), Reply.text("partial answer").hang());
        Cancellation cancellation = new Cancellation();
        StreamRecorder recorder = new StreamRecorder();

        CompletableFuture<LlmResponse> call = CompletableFuture.supplyAsync(
                () -> client.stream(request(openAi(2), List.of(user("go")), List.of()), recorder, cancellation));
        fake.awaitRequests(1, Duration.ofSeconds(5));
        // hang() answers with the stream's opening chunk, then holds the connection open
        Thread.sleep(300);
        Instant cancelledAt = Instant.now();
        cancellation.cancel();

        Throwable thrown = catchThrowable(() -> call.get(2, TimeUnit.SECONDS));
        assertThat(Duration.between(cancelledAt, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(CancellationException.class);
        assertThat(fake.requests().getFirst().awaitClientClosed(Duration.ofSeconds(2))).isTrue();
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void cancelBeforeTheFirstByteClosesTheConnection() throws Exception {
        // hang() after the delay makes the fake keep writing, which is how it notices a closed client
        fake.on(Match.any(), Reply.text("too late").delayFirstByte(Duration.ofSeconds(2)).hang());
        Cancellation cancellation = new Cancellation();

        CompletableFuture<LlmResponse> call = CompletableFuture.supplyAsync(
                () -> client.stream(request(openAi(2), List.of(user("go")), List.of()), new StreamRecorder(), cancellation));
        fake.awaitRequests(1, Duration.ofSeconds(5));
        Instant cancelledAt = Instant.now();
        cancellation.cancel();

        Throwable thrown = catchThrowable(() -> call.get(2, TimeUnit.SECONDS));
        assertThat(Duration.between(cancelledAt, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(CancellationException.class);
        assertThat(fake.requests().getFirst().awaitClientClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(fake.requests().getFirst().completed()).isFalse();
    }

    @Test
    void cancelBeforeTheFirstByteClosesTheConnectionAtOnce() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            LlmSettings settings = new LlmSettings(Providers.OPENAI, "gpt-test", KEY, silent.baseUrl(), 10, null,
                    null, null, null, 30, 2);
            Cancellation cancellation = new Cancellation();
            CompletableFuture<LlmResponse> call = CompletableFuture.supplyAsync(
                    () -> client.stream(request(settings, List.of(user("go")), List.of()), new StreamRecorder(), cancellation));
            assertThat(silent.requestRead.await(5, TimeUnit.SECONDS)).isTrue();

            cancellation.cancel();

            assertThat(silent.clientClosed.await(1, TimeUnit.SECONDS)).as("connection closed within 1 s").isTrue();
            assertThat(catchThrowable(() -> call.get(1, TimeUnit.SECONDS))).cause()
                    .isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void rateLimitsAreRetriedAfterTheProvidersRetryAfter() {
        fake.on(Match.any(), Reply.error(429, "{\"error\":{\"message\":\"Rate limit reached\"}}")
                .withHeader("Retry-After", "1")
                .times(2));
        fake.otherwise(Reply.text("finally"));
        Instant start = Instant.now();

        LlmResponse response = client.stream(request(openAi(3), List.of(user("hi")), List.of()), new StreamRecorder(),
                new Cancellation());

        assertThat(response.text()).isEqualTo("finally");
        assertThat(fake.requests()).hasSize(3);
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aBadKeyFailsAtOnceWithTheProvidersMessage() throws Exception {
        fake.on(Match.any(), Reply.error(401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
        LlmSettings settings = new LlmSettings(Providers.ANTHROPIC, "claude-test", KEY, fake.anthropicBaseUrl(), 10,
                null, null, null, null, 10, 3);

        Throwable thrown = catchThrowable(() -> client.stream(request(settings, List.of(user("hi")), List.of()),
                new StreamRecorder(), new Cancellation()));

        assertThat(thrown).isInstanceOf(LlmException.class)
                .hasMessage("anthropic answered 401: invalid x-api-key");
        LlmException failure = (LlmException) thrown;
        assertThat(failure.recoverable()).isFalse();
        assertThat(failure.statusCode()).isEqualTo(401);
        assertThat(failure.getMessage()).doesNotContain(KEY);
        Thread.sleep(100);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void serverFaultsFailRecoverablyAfterTheLastRetry() {
        fake.on(Match.any(), Reply.error(500, "{\"error\":{\"message\":\"The server had an error\"}}"));

        Throwable thrown = catchThrowable(() -> client.stream(request(openAi(2), List.of(user("hi")), List.of()),
                new StreamRecorder(), new Cancellation()));

        assertThat(thrown).isInstanceOf(LlmException.class).hasMessageContaining("500")
                .hasMessageContaining("The server had an error");
        assertThat(((LlmException) thrown).recoverable()).isTrue();
        assertThat(((LlmException) thrown).statusCode()).isEqualTo(500);
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void aSlowProviderTimesOutRecoverablyAndIsDisconnected() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            LlmSettings settings = new LlmSettings(Providers.OPENAI, "gpt-test", KEY, silent.baseUrl(), 10, null,
                    null, null, null, 1, 0);
            Instant start = Instant.now();

            Throwable thrown = catchThrowable(() -> client.stream(request(settings, List.of(user("hi")), List.of()),
                    new StreamRecorder(), new Cancellation()));

            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
            assertThat(thrown).isInstanceOf(LlmException.class).hasMessageContaining("did not finish within 1 s");
            assertThat(((LlmException) thrown).recoverable()).isTrue();
            assertThat(silent.clientClosed.await(1, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anUnreachableServerIsARecoverableFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LlmSettings settings = new LlmSettings(Providers.OPENAI_COMPATIBLE, "llama", null,
                "http://127.0.0.1:" + closedPort + "/v1", 10, null, null, null, null, 5, 1);

        Throwable thrown = catchThrowable(() -> client.stream(request(settings, List.of(user("hi")), List.of()),
                new StreamRecorder(), new Cancellation()));

        assertThat(thrown).isInstanceOf(LlmException.class).hasMessageContaining("could not be reached").hasMessageContaining("connection refused");
        assertThat(((LlmException) thrown).recoverable()).isTrue();
        assertThat(((LlmException) thrown).statusCode()).isZero();
    }

    @Test
    void aMissingKeyNamesTheVariableToSet() {
        LlmSettings settings = new LlmSettings(Providers.ANTHROPIC, "claude-test", null, null, 10, null, null, null,
                null, 10, 2);

        assertThatThrownBy(() -> client.stream(request(settings, List.of(user("hi")), List.of()), new StreamRecorder(),
                new Cancellation()))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("ANTHROPIC_API_KEY")
                .satisfies(e -> assertThat(((LlmException) e).recoverable()).isFalse());
    }

    private LlmSettings openAi(int maxRetries) {
        return new LlmSettings(Providers.OPENAI, "gpt-test", KEY, fake.openAiBaseUrl(), 10, null, 512, 0.2, null, 10,
                maxRetries);
    }

    /** Accepts one connection, reads the request and never answers; notes when the client hangs up. */
    private static final class SilentServer implements AutoCloseable {

        final CountDownLatch requestRead = new CountDownLatch(1);
        final CountDownLatch clientClosed = new CountDownLatch(1);
        private final ServerSocket socket;

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::serve);
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }

        private void serve() {
            try (Socket connection = socket.accept()) {
                InputStream in = connection.getInputStream();
                byte[] buffer = new byte[8192];
                int read = in.read(buffer);
                requestRead.countDown();
                while (read >= 0) {
                    read = in.read(buffer);
                }
            } catch (IOException closedOrReset) {
                // a reset is a close too
            }
            clientClosed.countDown();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
