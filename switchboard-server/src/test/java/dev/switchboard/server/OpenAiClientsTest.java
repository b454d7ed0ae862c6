package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI clients, unmodified, against a real server whose agent talks to the fake model: the Java
 * client ({@code com.openai:openai-java}) in this JVM and the npm {@code openai} package in node.
 */
class OpenAiClientsTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastMessageIsToolResult(), Reply.text("Booked: confirmation X1.").withUsage(20, 6));
        fake.on(Match.toolOffered("book_table"), Reply.toolCall("book_table", "{\"people\":2}").withUsage(18, 4));
        fake.otherwise(Reply.text("Hello from the agent.").withUsage(12, 5));
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        server = TestServer.start(home);
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    private static final FunctionDefinition BOOK_TABLE = FunctionDefinition.builder()
            .name("book_table")
            .description("Books a table")
            .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("people", Map.of("type", "integer"))))
                    .build())
            .build();

    @Test
    void theJavaClientListsModelsChatsStreamsAndCallsFunctions() {
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(TestServer.KEY).baseUrl(server.url("/v1"))
                .maxRetries(0).build();

        List<String> models = client.models().list().data().stream().map(Model::id).toList();
        assertThat(models).contains("agent:default", "test-model");

        ChatCompletion whole = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("agent:default").addUserMessage("Hi").build());
        assertThat(whole.choices().getFirst().message().content()).hasValue("Hello from the agent.");
        assertThat(whole.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(whole.usage().map(CompletionUsage::totalTokens)).hasValue(17L);

        StringBuilder text = new StringBuilder();
        List<CompletionUsage> usages = new ArrayList<>();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("agent:default").addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(finishes::add);
                });
                chunk.usage().ifPresent(usages::add);
            });
        }
        assertThat(text.toString()).isEqualTo("Hello from the agent.");
        assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(usages).singleElement().satisfies(u -> assertThat(u.totalTokens()).isEqualTo(17));

        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("agent:default")
                .addFunctionTool(BOOK_TABLE).addUserMessage("Book a table for two");
        ChatCompletion asked = client.chat().completions().create(conversation.build());
        assertThat(asked.choices().getFirst().finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessage message = asked.choices().getFirst().message();
        ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("book_table");
        assertThat(call.function().arguments()).isEqualTo("{\"people\":2}");

        conversation.addMessage(message).addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                .content("confirmation X1").build());
        ChatCompletion answered = client.chat().completions().create(conversation.build());
        assertThat(answered.choices().getFirst().message().content()).hasValue("Booked: confirmation X1.");
        assertThat(fake.requests().getLast().messages().toString()).contains("confirmation X1");

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("no-such-model").addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
    }

    @Test
    void theNpmClientListsModelsChatsStreamsAndCallsFunctions() throws Exception {
        Path peers = McpPeers.dir();
        assertThat(peers.resolve("node_modules/openai")).as("openai from test-peers/package.json").isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", peers.resolve("openai-client.mjs").toString(),
                server.url("/v1")).redirectErrorStream(false);
        builder.environment().put("OPENAI_API_KEY", TestServer.KEY);
        Process node = builder.start();
        byte[] out = node.getInputStream().readAllBytes();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(err).isZero();
        JsonNode result = TestServer.JSON.readTree(out);

        assertThat(result.path("models").toString()).contains("agent:default", "test-model");
        assertThat(result.path("whole").path("content").asText()).isEqualTo("Hello from the agent.");
        assertThat(result.path("whole").path("finish").asText()).isEqualTo("stop");
        assertThat(result.path("whole").path("usage").path("total_tokens").asInt()).isEqualTo(17);
        assertThat(result.path("streamed").path("text").asText()).isEqualTo("Hello from the agent.");
        assertThat(result.path("streamed").path("finish").asText()).isEqualTo("stop");
        assertThat(result.path("streamed").path("usage").path("total_tokens").asInt()).isEqualTo(17);
        assertThat(result.path("functions").path("finish").asText()).isEqualTo("tool_calls");
        assertThat(result.path("functions").path("name").asText()).isEqualTo("book_table");
        assertThat(result.path("functions").path("arguments").asText()).isEqualTo("{\"people\":2}");
        assertThat(result.path("functions").path("answer").asText()).isEqualTo("Booked: confirmation X1.");
        assertThat(result.path("streamedFunctions").path("finish").asText()).isEqualTo("tool_calls");
        assertThat(result.path("streamedFunctions").path("name").asText()).isEqualTo("book_table");
        assertThat(result.path("streamedFunctions").path("arguments").asText()).isEqualTo("{\"people\":2}");
        assertThat(result.path("unknownModel").path("status").asInt()).isEqualTo(404);
        assertThat(result.path("unknownModel").path("code").asText()).isEqualTo("model_not_found");
        assertThat(result.path("unknownModel").path("name").asText()).isEqualTo("NotFoundError");
    }
}
