package dev.switchboard.llm.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmSettings;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns whatever a provider call failed with into an {@link LlmException} a person can act on. */
final class ProviderErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 500;

    private ProviderErrors() {
    }

    static LlmException toException(LlmSettings settings, CallHttpClient.Failure failure, Throwable error) {
        String provider = settings.provider();
        if (failure != null && failure.status() > 0) {
            int status = failure.status();
            String message = provider + " answered " + status + ": " + detail(failure.body(), status);
            return new LlmException(redact(message, settings), RetryPolicy.retryable(status), status, failure.cause());
        }
        Throwable cause = failure != null && failure.cause() != null ? failure.cause() : unwrap(error);
        String url = ProviderModels.baseUrl(settings);
        Throwable transport = find(cause, IOException.class, UnresolvedAddressException.class);
        if (transport instanceof HttpConnectTimeoutException) {
            return new LlmException(provider + " could not be reached at " + url + ": connect timed out", true, 0, cause);
        }
        if (transport instanceof HttpTimeoutException || find(cause, dev.langchain4j.exception.TimeoutException.class) != null) {
            return new LlmException(provider + " did not answer in time (" + url + ")", true, 0, cause);
        }
        if (transport instanceof ConnectException || transport instanceof UnknownHostException
                || transport instanceof UnresolvedAddressException) {
            return new LlmException(provider + " could not be reached at " + url + ": " + describe(transport),
                    true, 0, cause);
        }
        if (transport instanceof EOFException) {
            return new LlmException(provider + " closed the stream before the response was complete", true, 0, cause);
        }
        if (transport != null) {
            return new LlmException(provider + " connection failed (" + url + "): " + describe(transport), true, 0,
                    cause);
        }
        if (cause instanceof AnthropicStreamingException streaming) {
            String type = streaming.type() == null ? "error" : streaming.type();
            boolean transient_ = type.contains("overloaded") || type.contains("rate_limit") || type.equals("api_error");
            return new LlmException(redact(provider + " reported " + type + ": " + streaming.getMessage(), settings),
                    transient_, 0, cause);
        }
        if (cause instanceof dev.langchain4j.exception.HttpException http) {
            return new LlmException(redact(provider + " answered " + http.statusCode() + ": "
                    + detail(http.getMessage(), http.statusCode()), settings),
                    RetryPolicy.retryable(http.statusCode()), http.statusCode(), cause);
        }
        String text = cause == null ? "unknown error" : detail(cause.getMessage(), 0);
        String lower = text.toLowerCase(Locale.ROOT);
        boolean transient_ = lower.contains("overloaded") || lower.contains("rate limit") || lower.contains("timeout")
                || lower.contains("unavailable");
        return new LlmException(redact(provider + " call failed: " + text, settings), transient_, 0, cause);
    }

    /** The provider's own words from an error body: {@code error.message} in its usual shapes, else the body. */
    static String detail(String body, int status) {
        if (body == null || body.isBlank()) {
            return status > 0 ? "(no error message)" : "(no details)";
        }
        String trimmed = body.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode node = JSON.readTree(trimmed);
                if (node.isArray() && !node.isEmpty()) {
                    node = node.get(0);
                }
                String message = message(node);
                if (message != null) {
                    return shorten(message);
                }
            } catch (IOException notJson) {
                // fall through to the raw text
            }
        }
        return shorten(trimmed);
    }

    private static String message(JsonNode node) {
        JsonNode error = node.get("error");
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        if (error != null && error.isObject()) {
            JsonNode message = error.get("message");
            if (message != null && message.isTextual() && !message.asText().isBlank()) {
                return message.asText();
            }
            JsonNode type = error.get("type");
            if (type != null && type.isTextual()) {
                return type.asText();
            }
        }
        for (String field : new String[] {"message", "detail", "error_description"}) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }

    private static String shorten(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL) + "…";
    }

    /** Keys must never reach logs or clients, even when a provider echoes them back. */
    private static String redact(String message, LlmSettings settings) {
        String key = settings.apiKey();
        if (key == null || key.length() < 6) {
            return message;
        }
        return message.replace(key, "***");
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        // The JDK client reports a refused connection as a ConnectException without a message.
        return t instanceof ConnectException ? "connection refused" : t.getClass().getSimpleName();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    @SafeVarargs
    private static Throwable find(Throwable t, Class<? extends Throwable>... types) {
        for (Throwable current = t; current != null; current = current.getCause() == current ? null : current.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(current)) {
                    return current;
                }
            }
        }
        return null;
    }
}
