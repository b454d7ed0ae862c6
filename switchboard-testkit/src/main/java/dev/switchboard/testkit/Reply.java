package dev.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An immutable script for one fake LLM response: text, reasoning, tool calls, usage, pacing or an HTTP error.
 *
 * <p>Every {@code withX} method returns a new reply and leaves this one untouched, so a reply can be shared by rules.
 */
public final class Reply {

    private final String text;
    private final String reasoning;
    private final List<ToolCallSpec> toolCalls;
    private final Integer inputTokens;
    private final Integer outputTokens;
    private final Integer reasoningTokens;
    private final int cachedTokens;
    private final String finishReason;
    private final Duration firstByteDelay;
    private final Duration chunkDelay;
    private final boolean hang;
    private final int errorStatus;
    private final String errorBody;
    private final List<Map.Entry<String, String>> headers;
    private final int times;

    private Reply(Parts p) {
        this.text = p.text;
        this.reasoning = p.reasoning;
        this.toolCalls = List.copyOf(p.toolCalls);
        this.inputTokens = p.inputTokens;
        this.outputTokens = p.outputTokens;
        this.reasoningTokens = p.reasoningTokens;
        this.cachedTokens = p.cachedTokens;
        this.finishReason = p.finishReason;
        this.firstByteDelay = p.firstByteDelay;
        this.chunkDelay = p.chunkDelay;
        this.hang = p.hang;
        this.errorStatus = p.errorStatus;
        this.errorBody = p.errorBody;
        this.headers = List.copyOf(p.headers);
        this.times = p.times;
    }

    public static Reply text(String text) {
        Objects.requireNonNull(text, "text");
        return build(p -> p.text = text);
    }

    /**
     * A single tool call whose id the server assigns ({@code toolu_<n>} on Anthropic, {@code call_<n>} elsewhere; Gemini
     * sends no id unless one is scripted).
     */
    public static Reply toolCall(String name, String argumentsJson) {
        return toolCalls(new ToolCallSpec(null, name, argumentsJson));
    }

    public static Reply toolCalls(ToolCallSpec... calls) {
        if (calls.length == 0) {
            throw new IllegalArgumentException("at least one tool call is needed");
        }
        List<ToolCallSpec> list = Arrays.asList(calls.clone());
        list.forEach(c -> Objects.requireNonNull(c, "tool call"));
        return build(p -> p.toolCalls = list);
    }

    /** An HTTP error answered on any wire as a plain JSON response with {@code status}. */
    public static Reply error(int status, String jsonBody) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
        }
        return build(p -> {
            p.errorStatus = status;
            p.errorBody = jsonBody == null ? "" : jsonBody;
        });
    }

    public Reply withText(String text) {
        Objects.requireNonNull(text, "text");
        return with(p -> p.text = text);
    }

    /**
     * Reasoning streamed as OpenAI {@code reasoning_content}, an Anthropic thinking block, Gemini {@code thought} parts or
     * Ollama {@code thinking}.
     */
    public Reply withReasoning(String reasoning) {
        Objects.requireNonNull(reasoning, "reasoning");
        return with(p -> p.reasoning = reasoning);
    }

    public Reply withUsage(int inputTokens, int outputTokens) {
        return with(p -> {
            p.inputTokens = nonNegative(inputTokens);
            p.outputTokens = nonNegative(outputTokens);
        });
    }

    public Reply withReasoningTokens(int tokens) {
        return with(p -> p.reasoningTokens = nonNegative(tokens));
    }

    public Reply withCachedTokens(int tokens) {
        return with(p -> p.cachedTokens = nonNegative(tokens));
    }

    /**
     * Overrides the finish reason; OpenAI ("stop", "tool_calls", "length") and Anthropic names translate to every wire,
     * others pass through (upper-cased on Gemini).
     */
    public Reply withFinishReason(String finishReason) {
        Objects.requireNonNull(finishReason, "finishReason");
        return with(p -> p.finishReason = finishReason);
    }

    /** Waits this long before sending the response headers. */
    public Reply delayFirstByte(Duration delay) {
        return with(p -> p.firstByteDelay = nonNegative(delay));
    }

    /** Pauses this long between stream events. */
    public Reply chunkDelay(Duration delay) {
        return with(p -> p.chunkDelay = nonNegative(delay));
    }

    /**
     * Starts the reply, then keeps the connection open with SSE comments (JSON whitespace when not streaming, and on
     * Ollama's NDJSON stream) every 20 ms until the client disconnects or 60 s pass.
     */
    public Reply hang() {
        return with(p -> p.hang = true);
    }

    public Reply withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with(p -> {
            p.headers = new ArrayList<>(p.headers);
            p.headers.add(Map.entry(name, value));
        });
    }

    /** Limits the rule holding this reply to its first {@code n} matches; later requests fall through. */
    public Reply times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + n);
        }
        return with(p -> p.times = n);
    }

    String text() {
        return text;
    }

    String reasoning() {
        return reasoning;
    }

    List<ToolCallSpec> toolCalls() {
        return toolCalls;
    }

    Integer inputTokens() {
        return inputTokens;
    }

    Integer outputTokens() {
        return outputTokens;
    }

    Integer reasoningTokens() {
        return reasoningTokens;
    }

    int cachedTokens() {
        return cachedTokens;
    }

    String finishReason() {
        return finishReason;
    }

    Duration firstByteDelay() {
        return firstByteDelay;
    }

    Duration chunkDelay() {
        return chunkDelay;
    }

    boolean hangs() {
        return hang;
    }

    boolean isError() {
        return errorStatus != 0;
    }

    int errorStatus() {
        return errorStatus;
    }

    String errorBody() {
        return errorBody;
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** Zero means unlimited. */
    int times() {
        return times;
    }

    private static Reply build(Consumer<Parts> change) {
        Parts p = new Parts();
        change.accept(p);
        return new Reply(p);
    }

    private Reply with(Consumer<Parts> change) {
        Parts p = new Parts(this);
        change.accept(p);
        return new Reply(p);
    }

    private static int nonNegative(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative: " + value);
        }
        return value;
    }

    private static Duration nonNegative(Duration value) {
        Objects.requireNonNull(value, "duration");
        if (value.isNegative()) {
            throw new IllegalArgumentException("must not be negative: " + value);
        }
        return value;
    }

    private static final class Parts {
        String text;
        String reasoning;
        List<ToolCallSpec> toolCalls = List.of();
        Integer inputTokens;
        Integer outputTokens;
        Integer reasoningTokens;
        int cachedTokens;
        String finishReason;
        Duration firstByteDelay = Duration.ZERO;
        Duration chunkDelay = Duration.ZERO;
        boolean hang;
        int errorStatus;
        String errorBody;
        List<Map.Entry<String, String>> headers = List.of();
        int times;

        Parts() {
        }

        Parts(Reply r) {
            text = r.text;
            reasoning = r.reasoning;
            toolCalls = r.toolCalls;
            inputTokens = r.inputTokens;
            outputTokens = r.outputTokens;
            reasoningTokens = r.reasoningTokens;
            cachedTokens = r.cachedTokens;
            finishReason = r.finishReason;
            firstByteDelay = r.firstByteDelay;
            chunkDelay = r.chunkDelay;
            hang = r.hang;
            errorStatus = r.errorStatus;
            errorBody = r.errorBody;
            headers = r.headers;
            times = r.times;
        }
    }
}
