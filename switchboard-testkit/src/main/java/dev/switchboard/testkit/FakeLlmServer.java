package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted fake LLM provider on a real loopback HTTP port, speaking OpenAI Chat Completions, Anthropic Messages, Google
 * AI Gemini {@code generateContent} and Ollama's native {@code /api/chat}.
 *
 * <p>Rules are checked in the order added and the first match answers; requests are recorded before they are answered,
 * so a test can wait for a call while its reply is still hanging.
 */
public final class FakeLlmServer implements AutoCloseable {

    static {
        // Streams flush one small event at a time; without TCP_NODELAY Nagle's algorithm delays them by tens of ms.
        // The JDK reads this once, when its first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Reply DEFAULT_FALLBACK = Reply.text("ok");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer http;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final List<Rule> rules = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicInteger replyNumbers = new AtomicInteger();
    private final AtomicInteger toolNumbers = new AtomicInteger();
    private Reply fallback = DEFAULT_FALLBACK;
    private volatile boolean stopped;
    private volatile java.util.function.Function<String, float[]> embedding = FakeLlmServer::hashedWords;
    private final List<EmbeddingRequest> embeddingRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * One call of {@code /embeddings}, as received.
     *
     * @param dimensions what the request asked for, or null
     * @param authorization the {@code Authorization} header, or null
     */
    public record EmbeddingRequest(String model, List<String> input, Integer dimensions, String authorization) {
    }

    private FakeLlmServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static FakeLlmServer start() {
        try {
            return new FakeLlmServer();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake LLM server", e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    public String anthropicBaseUrl() {
        return baseUrl() + "/v1";
    }

    /**
     * {@code http://127.0.0.1:PORT/v1beta}, the root Gemini clients append {@code /models/{model}:streamGenerateContent}
     * to, as they do to {@code https://generativelanguage.googleapis.com/v1beta}. Streams answer {@code alt=sse} style.
     */
    public String geminiBaseUrl() {
        return baseUrl() + "/v1beta";
    }

    /**
     * {@code http://127.0.0.1:PORT}, the root Ollama clients append {@code /api/chat} to, as they do to
     * {@code http://localhost:11434}.
     */
    public String ollamaBaseUrl() {
        return baseUrl();
    }

    /** Adds a rule after the existing ones. */
    public FakeLlmServer on(Match match, Reply reply) {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(reply, "reply");
        synchronized (lock) {
            rules.add(new Rule(match, reply, new AtomicInteger(reply.times())));
        }
        return this;
    }

    /** The reply for requests no rule matches; {@code Reply.text("ok")} until set. Its {@code times} is ignored. */
    public FakeLlmServer otherwise(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        synchronized (lock) {
            fallback = reply;
        }
        return this;
    }

    /** Drops all rules and recorded requests and restores the default fallback. */
    public FakeLlmServer reset() {
        synchronized (lock) {
            rules.clear();
            requests.clear();
            fallback = DEFAULT_FALLBACK;
        }
        return this;
    }

    /** The model calls received so far, in arrival order; malformed bodies and other paths are not recorded. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /**
     * Waits until {@code count} model calls have arrived and returns the {@code count}-th.
     *
     * @throws AssertionError when fewer arrived within {@code timeout}
     */
    public RecordedRequest awaitRequests(int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " request(s) to the fake LLM within " + timeout
                            + " but got " + requests.size() + ": " + requests);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for requests", e);
                }
            }
            return requests.get(count - 1);
        }
    }

    /** Stops listening and abandons replies in flight, hanging ones included. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        http.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String route = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            switch (route) {
                case "/v1/chat/completions", "/chat/completions" -> answerModelCall(exchange, Wire.OPENAI, path);
                case "/v1/messages", "/messages" -> answerModelCall(exchange, Wire.ANTHROPIC, path);
                case "/api/chat" -> answerModelCall(exchange, Wire.OLLAMA, path);
                case "/v1/models", "/models" -> answerModels(exchange);
                case "/v1/embeddings", "/embeddings" -> answerEmbeddings(exchange);
                default -> {
                    if (RecordedRequest.GEMINI_PATH.matcher(route).matches()) {
                        answerModelCall(exchange, Wire.GEMINI, path);
                    } else {
                        answerPlain(exchange, 404, OpenAiWire.error("no route for " + path, "not_found_error"));
                    }
                }
            }
        } catch (IOException e) {
            // The client went away or the server is stopping; either way nobody is left to answer.
        }
    }

    private void answerModelCall(HttpExchange exchange, Wire wire, String path) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestMethod().equals("POST")) {
            answerPlain(exchange, 405, errorBody(wire, 405, "use POST for " + path, "invalid_request_error"));
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(raw);
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            answerPlain(exchange, 400, errorBody(wire, 400, "request body is not a JSON object", "invalid_request_error"));
            return;
        }
        RecordedRequest request = new RecordedRequest(
                wire, path, exchange.getRequestHeaders(), body, new String(raw, StandardCharsets.UTF_8));
        Reply reply;
        try {
            reply = choose(request);
        } catch (RuntimeException e) {
            answerPlain(exchange, 500, errorBody(wire, 500, "a scripted Match threw " + e, "api_error"));
            return;
        }
        try {
            answer(exchange, request, reply);
            request.markCompleted();
        } catch (IOException e) {
            if (!stopped) {
                request.markClientClosed();
            }
            throw e;
        }
    }

    private Reply choose(RecordedRequest request) {
        synchronized (lock) {
            requests.add(request);
            lock.notifyAll();
            for (Rule rule : rules) {
                if (rule.matches(request)) {
                    return rule.reply();
                }
            }
            return fallback;
        }
    }

    private void answer(HttpExchange exchange, RecordedRequest request, Reply reply) throws IOException {
        ReplyChannel channel = new ReplyChannel(exchange, reply, json);
        channel.awaitFirstByte();
        if (reply.isError()) {
            channel.sendJson(reply.errorStatus(), reply.errorBody().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String idPrefix = switch (request.wire()) {
            case OPENAI -> "chatcmpl-fake";
            case ANTHROPIC -> "msg_fake";
            case GEMINI, OLLAMA -> "resp-fake";
        };
        ReplyPlan plan = ReplyPlan.of(reply, request, idPrefix + replyNumbers.incrementAndGet(), toolNumbers::incrementAndGet);
        if (request.stream()) {
            switch (request.wire()) {
                case OPENAI -> OpenAiWire.stream(plan, channel);
                case ANTHROPIC -> AnthropicWire.stream(plan, channel);
                case GEMINI -> GeminiWire.stream(plan, channel, json);
                case OLLAMA -> OllamaWire.stream(plan, channel, json);
            }
            return;
        }
        JsonNode body = switch (request.wire()) {
            case OPENAI -> OpenAiWire.completion(plan);
            case ANTHROPIC -> AnthropicWire.message(plan, json);
            case GEMINI -> GeminiWire.response(plan, json);
            case OLLAMA -> OllamaWire.response(plan, json);
        };
        if (reply.hangs()) {
            channel.open("application/json");
            channel.hang(ReplyChannel.JSON_KEEP_ALIVE);
            channel.write(json.writeValueAsBytes(body));
            channel.finish();
        } else {
            channel.sendJson(200, body);
        }
    }

    private void answerModels(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        answerPlain(exchange, 200, OpenAiWire.models());
    }

    /**
     * How {@code /embeddings} turns a text into a vector; by default each word (lower-cased letters and digits)
     * adds 1 to one of 64 dimensions chosen by its hash, so texts sharing words are near each other.
     */
    public FakeLlmServer embedWith(java.util.function.Function<String, float[]> function) {
        this.embedding = Objects.requireNonNull(function);
        return this;
    }

    /** The {@code /embeddings} calls received so far, oldest first. */
    public List<EmbeddingRequest> embeddingRequests() {
        return List.copyOf(embeddingRequests);
    }

    private static float[] hashedWords(String text) {
        float[] vector = new float[64];
        for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), vector.length)] += 1;
            }
        }
        return vector;
    }

    /** OpenAI's embeddings API: {@code input} a string or a list of them, {@code dimensions} truncating vectors. */
    private void answerEmbeddings(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        JsonNode body;
        try {
            body = json.readTree(raw);
        } catch (JacksonException e) {
            body = null;
        }
        if (!exchange.getRequestMethod().equals("POST") || body == null || !body.isObject()
                || !body.path("model").isTextual() || !(body.path("input").isTextual() || body.path("input").isArray())) {
            answerPlain(exchange, 400, OpenAiWire.error("POST a JSON object with model and input",
                    "invalid_request_error"));
            return;
        }
        List<String> input = new ArrayList<>();
        if (body.path("input").isTextual()) {
            input.add(body.path("input").asText());
        } else {
            body.path("input").forEach(item -> input.add(item.asText()));
        }
        Integer dimensions = body.path("dimensions").isInt() ? body.path("dimensions").asInt() : null;
        embeddingRequests.add(new EmbeddingRequest(body.path("model").asText(), List.copyOf(input), dimensions,
                exchange.getRequestHeaders().getFirst("Authorization")));
        var out = json.createObjectNode().put("object", "list");
        var data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < input.size(); i++) {
            float[] vector = embedding.apply(input.get(i));
            int size = dimensions == null ? vector.length : Math.min(dimensions, vector.length);
            var item = data.addObject().put("object", "embedding").put("index", i);
            var values = item.putArray("embedding");
            for (int d = 0; d < size; d++) {
                values.add(vector[d]);
            }
            tokens += input.get(i).split("\\s+").length;
        }
        out.put("model", body.path("model").asText());
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        answerPlain(exchange, 200, out);
    }

    private void answerPlain(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        // Answers outside the script carry no scripted headers or delays, which the plain default reply guarantees.
        new ReplyChannel(exchange, DEFAULT_FALLBACK, json).sendJson(status, body);
    }

    private static JsonNode errorBody(Wire wire, int status, String message, String type) {
        return switch (wire) {
            case OPENAI -> OpenAiWire.error(message, type);
            case ANTHROPIC -> AnthropicWire.error(message, type);
            case GEMINI -> GeminiWire.error(status, message, status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT");
            case OLLAMA -> OllamaWire.error(message);
        };
    }

    /** A scripted rule; {@code remaining} counts down only when a limited rule matches. */
    private record Rule(Match match, Reply reply, AtomicInteger remaining) {

        boolean matches(RecordedRequest request) {
            if (!match.test(request)) {
                return false;
            }
            if (reply.times() == 0) {
                return true;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }
}
