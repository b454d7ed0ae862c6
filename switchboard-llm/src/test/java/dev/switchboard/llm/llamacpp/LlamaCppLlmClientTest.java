package dev.switchboard.llm.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.content.TextPart;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.session.Message;
import dev.switchboard.testkit.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama.cpp in process on a generated GGUF model: load, stream, stop, unload. */
class LlamaCppLlmClientTest {

    @TempDir
    Path folder;

    LlamaCppLlmClient client;

    @BeforeEach
    void start() {
        TinyGguf.standard().writeTo(folder.resolve("tiny.gguf"));
        client = new LlamaCppLlmClient(id -> folder.resolve(id).toAbsolutePath().normalize(), Duration.ofSeconds(1),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void streamsTokensAndUnloadsWhenIdle() throws Exception {
        List<String> deltas = new ArrayList<>();
        LlmResponse response = client.stream(request("tiny.gguf", 20), listener(deltas), new Cancellation());
        assertThat(deltas).hasSizeGreaterThan(1);
        assertThat(response.text()).isEqualTo(String.join("", deltas));
        assertThat(response.usage().inputTokens()).isPositive();
        assertThat(response.provider()).isEqualTo("local");
        assertThat(client.loaded()).containsExactly(folder.resolve("tiny.gguf").toAbsolutePath().normalize());
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!client.loaded().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(client.loaded()).isEmpty();
        // and loads again on the next call
        assertThat(client.stream(request("tiny.gguf", 5), listener(new ArrayList<>()), new Cancellation()).text())
                .isNotNull();
    }

    @Test
    void cancellingStopsTheGenerationAtTheNextToken() {
        Cancellation cancellation = new Cancellation();
        List<String> deltas = new ArrayList<>();
        assertThatThrownBy(() -> client.stream(request("tiny.gguf", 1_000_000), new LlmListener() {
            @Override
            public void onText(String delta) {
                deltas.add(delta);
                if (deltas.size() == 3) {
                    cancellation.cancel();
                }
            }

            @Override
            public void onReasoning(String delta) {
            }
        }, cancellation)).isInstanceOf(CancellationException.class);
        assertThat(deltas).hasSize(3);
    }

    @Test
    void aCorruptFileIsAClearError() throws Exception {
        byte[] whole = Files.readAllBytes(folder.resolve("tiny.gguf"));
        Files.write(folder.resolve("cut.gguf"), Arrays.copyOf(whole, 100));
        assertThatThrownBy(() -> client.stream(request("cut.gguf", 5), listener(new ArrayList<>()),
                new Cancellation())).isInstanceOf(LlmException.class)
                .hasMessageContaining("not a valid GGUF model").hasMessageContaining("cut.gguf");
        assertThat(client.loaded()).isEmpty();
    }

    private static LlmRequest request(String model, int maxOutput) {
        LlmSettings settings = new LlmSettings("local", model, null, null, 5, null, maxOutput, 0.8, null, 60, 0);
        Message user = Message.user("m1", "s1", List.of(new TextPart("hello world")), Instant.now());
        return new LlmRequest(settings, "You are tiny.", List.of(user), List.of());
    }

    private static LlmListener listener(List<String> deltas) {
        return new LlmListener() {
            @Override
            public void onText(String delta) {
                deltas.add(delta);
            }

            @Override
            public void onReasoning(String delta) {
            }
        };
    }
}
