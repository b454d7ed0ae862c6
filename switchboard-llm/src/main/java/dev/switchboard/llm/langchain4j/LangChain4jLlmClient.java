package dev.switchboard.llm.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM port over LangChain4j: one instance serves every provider (OpenAI, OpenAI-compatible servers,
 * Anthropic, Gemini, Ollama), choosing per call from the request's settings.
 *
 * <p>Each attempt gets its own closeable HTTP client, so a cancel closes the provider connection even before
 * the first byte. Rate limits, server faults, timeouts and connection failures are retried with backoff
 * (honouring {@code Retry-After}) as long as nothing has been streamed to the listener yet.
 */
public final class LangChain4jLlmClient implements LlmClient {

    private static final Logger log = LoggerFactory.getLogger(LangChain4jLlmClient.class);
    private static final Duration DEFAULT_FIRST_RETRY_DELAY = Duration.ofMillis(500);
    private static final int DEFAULT_TIMEOUT_SECONDS = 300;

    private volatile HttpClient http;
    private final ChatMessages chatMessages;
    private final SignedReasoning signedReasoning = new SignedReasoning();
    private final RetryPolicy retryPolicy;

    /**
     * @param blobLoader the bytes of a stored blob (images, files in user messages), empty when gone
     */
    public LangChain4jLlmClient(Function<String, Optional<byte[]>> blobLoader) {
        this(blobLoader, DEFAULT_FIRST_RETRY_DELAY);
    }

    /**
     * @param firstRetryDelay the pause before the first retry, doubled for each next one (capped at 8 s) unless
     *     the provider names one with {@code Retry-After}
     */
    public LangChain4jLlmClient(Function<String, Optional<byte[]>> blobLoader, Duration firstRetryDelay) {
        this.chatMessages = new ChatMessages(blobLoader, signedReasoning);
        this.retryPolicy = new RetryPolicy(firstRetryDelay);
    }

    /** The shared JDK client, built on the first call: building it sets up TLS, which start-up need not wait for. */
    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    // HTTP/1.1: closing a stream then closes its own connection, and SSE gains nothing from HTTP/2.
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(30))
                            .build();
                    http = client;
                }
            }
        }
        return client;
    }

    @Override
    public LlmResponse stream(LlmRequest request, LlmListener listener, Cancellation cancellation) {
        LlmSettings settings = request.settings();
        ProviderModels.validate(settings);
        throwIfCancelled(cancellation);

        ChatRequest chatRequest = chatRequest(request);
        // Anthropic refuses thinking when the tool turn being answered carries no signed thinking block.
        boolean thinking = !settings.provider().equals(Providers.ANTHROPIC)
                || !chatMessages.endsInUnsignedToolTurn(request.messages());
        int timeoutSeconds = settings.timeoutSeconds() > 0 ? settings.timeoutSeconds() : DEFAULT_TIMEOUT_SECONDS;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int maxRetries = Math.max(0, settings.maxRetries());

        for (int attempt = 0; ; attempt++) {
            ResponseCollector collector = new ResponseCollector(listener);
            CallHttpClient call = new CallHttpClient(http(), collector::streamEnded);
            AutoCloseable registration = cancellation.onCancel(() -> {
                call.close();
                collector.outcome().completeExceptionally(new CancellationException("the model call was cancelled"));
            });
            try {
                StreamingChatModel model = ProviderModels.build(settings, call.asBuilder(), thinking);
                model.chat(chatRequest, collector);
                ChatResponse response = collector.outcome().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
                LlmResponse result = Responses.toLlmResponse(settings, response);
                if (!result.toolCalls().isEmpty()) {
                    signedReasoning.remember(result.toolCalls().getFirst().id(), response.aiMessage());
                }
                return result;
            } catch (CancellationException e) {
                throw cancelled(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled(e);
            } catch (TimeoutException e) {
                throw new LlmException(settings.provider() + " did not finish within " + timeoutSeconds
                        + " s (timeoutSeconds)", true, 0, null);
            } catch (ExecutionException e) {
                if (cancellation.isCancelled() || e.getCause() instanceof CancellationException) {
                    throw cancelled(e.getCause());
                }
                LlmException failure = ProviderErrors.toException(settings, call.failure(), e.getCause());
                if (!failure.recoverable() || collector.streamed() || attempt >= maxRetries) {
                    throw failure;
                }
                CallHttpClient.Failure httpFailure = call.failure();
                Duration delay = retryPolicy.delay(attempt, httpFailure == null ? null : httpFailure.retryAfter());
                if (delay.toNanos() >= remainingNanos(deadline)) {
                    throw failure;
                }
                log.info("{}; retry {} of {} in {} ms", failure.getMessage(), attempt + 1, maxRetries,
                        delay.toMillis());
                pause(delay, cancellation);
            } catch (LlmException e) {
                throw e;
            } catch (RuntimeException e) {
                // LangChain4j validates parameters while building the request; no retry fixes that.
                throw new LlmException(settings.provider() + " request could not be built: " + e.getMessage(),
                        false, 0, e);
            } finally {
                call.close();
                unregister(registration);
            }
        }
    }

    private ChatRequest chatRequest(LlmRequest request) {
        try {
            List<ChatMessage> messages = chatMessages.toChatMessages(request.systemPrompt(), request.messages());
            List<ToolSpecification> tools = ToolSchemas.toSpecifications(request.tools());
            ChatRequest.Builder builder = ChatRequest.builder().messages(messages);
            if (!tools.isEmpty()) {
                builder.toolSpecifications(tools);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new LlmException("the request to " + request.settings().provider() + " is invalid: "
                    + e.getMessage(), false, 0, e);
        }
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Waits out a retry delay, waking at once on cancel. */
    private static void pause(Duration delay, Cancellation cancellation) {
        CompletableFuture<Void> woken = new CompletableFuture<>();
        AutoCloseable registration = cancellation.onCancel(() -> woken.complete(null));
        try {
            woken.get(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException elapsed) {
            // the delay is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(e);
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            unregister(registration);
        }
        throwIfCancelled(cancellation);
    }

    private static void throwIfCancelled(Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            throw new CancellationException("the model call was cancelled");
        }
    }

    private static CancellationException cancelled(Throwable cause) {
        CancellationException e = new CancellationException("the model call was cancelled");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static void unregister(AutoCloseable registration) {
        try {
            registration.close();
        } catch (Exception ignored) {
            // Cancellation's handle only removes a list entry
        }
    }
}
