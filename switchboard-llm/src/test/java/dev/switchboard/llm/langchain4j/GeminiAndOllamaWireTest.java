package dev.switchboard.llm.langchain4j;

import static dev.switchboard.llm.langchain4j.Conversations.assistantCalling;
import static dev.switchboard.llm.langchain4j.Conversations.request;
import static dev.switchboard.llm.langchain4j.Conversations.toolResult;
import static dev.switchboard.llm.langchain4j.Conversations.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.Wire;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Gemini and Ollama paths of the adapter, over the fake provider's own wires. */
class GeminiAndOllamaWireTest {

    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather for a city", """
            {"type": "object",
             "properties": {"city": {"type": "string", "description": "City name"}},
             "required": ["city"]}
            """);

    private final LangChain4jLlmClient client = new LangChain4jLlmClient(blobId -> Optional.empty(), Duration.ofMillis(20));
    private FakeLlmServer fake;

    @BeforeEach
    void startFake() {
        fake = FakeLlmServer.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void geminiStreamsTextAndThoughtsAndReportsUsage() {
        fake.on(Match.any(), Reply.text("Hello there, traveller!")
                .withReasoning("The user greets me.")
                .withUsage(120, 40)
                .withReasoningTokens(12)
                .withCachedTokens(64));
        StreamRecorder recorder = new StreamRecorder();

        LlmResponse response = client.stream(request(gemini(0), List.of(user("hi")), List.of()), recorder,
                new Cancellation());

        assertThat(recorder.text()).isEqualTo("Hello there, traveller!");
        assertThat(recorder.textDeltas).isGreaterThan(1);
        assertThat(recorder.reasoning()).isEqualTo("The user greets me.");
        assertThat(response.text()).isEqualTo("Hello there, traveller!");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new TokenUsage(120, 40, 12, 64));
        assertThat(response.provider()).isEqualTo("google");
        assertThat(response.model()).isEqualTo("gemini-test");
        RecordedRequest seen = fake.requests().getFirst();
        assertThat(seen.wire()).isEqualTo(Wire.GEMINI);
        assertThat(seen.stream()).isTrue();
        assertThat(seen.header("x-goog-api-key")).isEqualTo("test");
        assertThat(seen.systemPrompt()).isEqualTo("You are a test.");
        assertThat(seen.lastUserText()).isEqualTo("hi");
    }

    @Test
    void geminiToolCallRoundTrip() {
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is 18 degrees in Paris.").withUsage(150, 9))
                .on(Match.toolOffered("get_weather"), Reply.toolCall("get_weather", "{\"city\":\"Paris\"}"));

        LlmResponse first = client.stream(request(gemini(0), List.of(user("weather in Paris?")), List.of(WEATHER)),
                new StreamRecorder(), new Cancellation());

        assertThat(first.finishReason()).isEqualTo("tool-calls");
        ToolCall call = first.toolCalls().getFirst();
        assertThat(first.toolCalls()).hasSize(1);
        assertThat(call.id()).as("Gemini sends no id; the adapter makes one").isNotBlank();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Paris\"}");
        JsonNode declaration = fake.requests().getFirst().body().at("/tools/0/functionDeclarations/0");
        assertThat(declaration.path("name").asText()).isEqualTo("get_weather");
        assertThat(declaration.toString()).contains("city");

        StreamRecorder recorder = new StreamRecorder();
        LlmResponse second = client.stream(request(gemini(0), List.of(user("weather in Paris?"),
                assistantCalling(call), toolResult(call.id(), "get_weather", "18 C, cloudy")), List.of(WEATHER)),
                recorder, new Cancellation());

        assertThat(recorder.text()).isEqualTo("It is 18 degrees in Paris.");
        assertThat(second.finishReason()).isEqualTo("stop");
        assertThat(second.usage().inputTokens()).isEqualTo(150);
        JsonNode contents = fake.requests().get(1).messages();
        assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
        assertThat(contents.get(1).at("/parts/0/functionCall/name").asText()).isEqualTo("get_weather");
        JsonNode result = contents.get(contents.size() - 1).at("/parts/0/functionResponse");
        assertThat(result.path("name").asText()).isEqualTo("get_weather");
        assertThat(result.path("response").toString()).contains("18 C, cloudy");
    }

    @Test
    void ollamaStreamsTextAndThinkingAndReportsUsage() {
        fake.on(Match.any(), Reply.text("Hello there, traveller!")
                .withReasoning("The user greets me.")
                .withUsage(120, 40)
                .withFinishReason("length"));
        StreamRecorder recorder = new StreamRecorder();

        LlmResponse response = client.stream(request(ollama(0), List.of(user("hi")), List.of()), recorder,
                new Cancellation());

        assertThat(recorder.text()).isEqualTo("Hello there, traveller!");
        assertThat(recorder.textDeltas).isGreaterThan(1);
        assertThat(recorder.reasoning()).isEqualTo("The user greets me.");
        assertThat(response.reasoning()).isEqualTo("The user greets me.");
        assertThat(response.finishReason()).isEqualTo("length");
        assertThat(response.usage()).isEqualTo(new TokenUsage(120, 40, 0, 0));
        assertThat(response.provider()).isEqualTo("ollama");
        assertThat(response.model()).isEqualTo("llama-test");
        RecordedRequest seen = fake.requests().getFirst();
        assertThat(seen.wire()).isEqualTo(Wire.OLLAMA);
        assertThat(seen.stream()).isTrue();
        assertThat(seen.model()).isEqualTo("llama-test");
        assertThat(seen.systemPrompt()).isEqualTo("You are a test.");
    }

    @Test
    void ollamaToolCallRoundTrip() {
        fake.on(Match.lastMessageIsToolResult(), Reply.text("Sunny in Oslo."))
                .on(Match.toolOffered("get_weather"), Reply.toolCall("get_weather", "{\"city\":\"Oslo\"}").withUsage(80, 20));

        LlmResponse first = client.stream(request(ollama(0), List.of(user("weather in Oslo?")), List.of(WEATHER)),
                new StreamRecorder(), new Cancellation());

        assertThat(first.finishReason()).isEqualTo("tool-calls");
        assertThat(first.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isNotBlank();
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        });
        assertThat(first.usage()).isEqualTo(new TokenUsage(80, 20, 0, 0));
        JsonNode function = fake.requests().getFirst().body().at("/tools/0/function");
        assertThat(function.path("name").asText()).isEqualTo("get_weather");
        assertThat(function.at("/parameters/properties/city/type").asText()).isEqualTo("string");

        ToolCall call = first.toolCalls().getFirst();
        StreamRecorder recorder = new StreamRecorder();
        LlmResponse second = client.stream(request(ollama(0), List.of(user("weather in Oslo?"),
                assistantCalling(call), toolResult(call.id(), "get_weather", "sunny")), List.of(WEATHER)),
                recorder, new Cancellation());

        assertThat(recorder.text()).isEqualTo("Sunny in Oslo.");
        assertThat(second.finishReason()).isEqualTo("stop");
        JsonNode messages = fake.requests().get(1).messages();
        assertThat(messages.get(2).at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("sunny");
    }

    @Test
    void cancelDuringAHangingStreamClosesTheConnection() throws Exception {
        fake.on(Match.any(), Reply.text("never sent").hang());
        List<LlmSettings> providers = List.of(gemini(2), ollama(2));
        for (int i = 0; i < providers.size(); i++) {
            LlmSettings settings = providers.get(i);
            Cancellation cancellation = new Cancellation();
            CompletableFuture<LlmResponse> call = CompletableFuture.supplyAsync(() -> client.stream(
                    request(settings, List.of(user("go")), List.of()), new StreamRecorder(), cancellation));
            RecordedRequest seen = fake.awaitRequests(i + 1, Duration.ofSeconds(5));
            Thread.sleep(300);
            Instant cancelledAt = Instant.now();
            cancellation.cancel();

            Throwable thrown = catchThrowable(() -> call.get(2, TimeUnit.SECONDS));
            assertThat(Duration.between(cancelledAt, Instant.now())).isLessThan(Duration.ofSeconds(1));
            assertThat(thrown).as(settings.provider()).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(CancellationException.class);
            assertThat(seen.awaitClientClosed(Duration.ofSeconds(5))).as(settings.provider()).isTrue();
            assertThat(seen.completed()).isFalse();
        }
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void serverFaultsAreRecoverableAfterTheLastRetry() {
        fake.on(Match.wire(Wire.GEMINI), Reply.error(500,
                        "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}"))
                .on(Match.wire(Wire.OLLAMA), Reply.error(500, "{\"error\":\"llama runner process has terminated\"}"));

        for (LlmSettings settings : List.of(gemini(1), ollama(1))) {
            Throwable thrown = catchThrowable(() -> client.stream(request(settings, List.of(user("hi")), List.of()),
                    new StreamRecorder(), new Cancellation()));

            assertThat(thrown).as(settings.provider()).isInstanceOf(LlmException.class)
                    .hasMessageContaining(settings.provider() + " answered 500");
            assertThat(((LlmException) thrown).recoverable()).isTrue();
            assertThat(((LlmException) thrown).statusCode()).isEqualTo(500);
        }
        assertThat(fake.requests()).hasSize(4);
        assertThat(fake.requests().get(3).wire()).isEqualTo(Wire.OLLAMA);
    }

    @Test
    void clientErrorsFailAtOnceWithTheProvidersMessage() {
        fake.on(Match.wire(Wire.GEMINI), Reply.error(403,
                        "{\"error\":{\"code\":403,\"message\":\"API key not valid.\",\"status\":\"PERMISSION_DENIED\"}}"))
                .on(Match.wire(Wire.OLLAMA), Reply.error(400, "{\"error\":\"model 'llama-test' not found\"}"));

        Throwable gemini = catchThrowable(() -> client.stream(request(gemini(3), List.of(user("hi")), List.of()),
                new StreamRecorder(), new Cancellation()));
        Throwable ollama = catchThrowable(() -> client.stream(request(ollama(3), List.of(user("hi")), List.of()),
                new StreamRecorder(), new Cancellation()));

        assertThat(gemini).isInstanceOf(LlmException.class).hasMessage("google answered 403: API key not valid.");
        assertThat(((LlmException) gemini).recoverable()).isFalse();
        assertThat(ollama).isInstanceOf(LlmException.class).hasMessage("ollama answered 400: model 'llama-test' not found");
        assertThat(((LlmException) ollama).recoverable()).isFalse();
        assertThat(fake.requests()).hasSize(2);
    }

    private LlmSettings gemini(int maxRetries) {
        return new LlmSettings(Providers.GOOGLE, "gemini-test", "test", fake.geminiBaseUrl(), 10, null, 512, 0.2, null,
                10, maxRetries);
    }

    private LlmSettings ollama(int maxRetries) {
        return new LlmSettings(Providers.OLLAMA, "llama-test", null, fake.ollamaBaseUrl(), 10, null, 512, 0.2, null,
                10, maxRetries);
    }
}
