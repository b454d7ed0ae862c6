package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One model call the fake server received, with what it asked for and how its reply went. */
public final class RecordedRequest {

    /** Gemini names the model and the streaming mode in the path, not the body. */
    static final Pattern GEMINI_PATH =
            Pattern.compile("(?:/v1(?:alpha|beta)?)?/models/([^/:]+):(generateContent|streamGenerateContent)/?");

    private final Wire wire;
    private final String path;
    private final Map<String, List<String>> headers;
    private final JsonNode body;
    private final String rawBody;
    private final JsonNode messages;
    private final String lastUserText;
    private final String systemPrompt;
    private final List<String> toolNames;
    private final CountDownLatch clientClosed = new CountDownLatch(1);
    private final CountDownLatch completed = new CountDownLatch(1);

    RecordedRequest(Wire wire, String path, Map<String, List<String>> headers, JsonNode body, String rawBody) {
        this.wire = wire;
        this.path = path;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body;
        this.rawBody = rawBody;
        JsonNode found = body.path(wire == Wire.GEMINI ? "contents" : "messages");
        this.messages = found.isArray() ? found : JsonNodeFactory.instance.arrayNode();
        this.lastUserText = findLastUserText();
        this.systemPrompt = findSystemPrompt();
        this.toolNames = findToolNames();
    }

    public Wire wire() {
        return wire;
    }

    public String path() {
        return path;
    }

    /** All request headers; lookups ignore case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, ignoring case, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public JsonNode body() {
        return body;
    }

    public String rawBody() {
        return rawBody;
    }

    /** Whether a streamed reply was asked for: {@code stream} in the body (Ollama's defaults to true), or Gemini's path. */
    public boolean stream() {
        return switch (wire) {
            case GEMINI -> {
                Matcher matcher = geminiPath();
                yield matcher.matches() && matcher.group(2).equals("streamGenerateContent");
            }
            case OLLAMA -> body.path("stream").asBoolean(true);
            default -> body.path("stream").asBoolean(false);
        };
    }

    /** The requested model (from the path on Gemini), or null when the request named none. */
    public String model() {
        if (wire == Wire.GEMINI) {
            Matcher matcher = geminiPath();
            return matcher.matches() ? matcher.group(1) : null;
        }
        JsonNode model = body.path("model");
        return model.isTextual() ? model.asText() : null;
    }

    /** The {@code messages} array (Gemini's {@code contents}), empty when absent. */
    public JsonNode messages() {
        return messages;
    }

    /**
     * Text of the last user message; on Anthropic and Gemini, user turns holding only tool results are skipped. Null if
     * none.
     */
    public String lastUserText() {
        return lastUserText;
    }

    /**
     * OpenAI and Ollama system/developer messages joined by newlines, Anthropic's top-level {@code system}, or Gemini's
     * {@code systemInstruction}; null if none.
     */
    public String systemPrompt() {
        return systemPrompt;
    }

    /** Names of the tools the request offered (Gemini's {@code functionDeclarations} included), in request order. */
    public List<String> toolNames() {
        return toolNames;
    }

    /** True once the server noticed the client hang up before the reply was complete. */
    public boolean clientClosed() {
        return clientClosed.getCount() == 0;
    }

    public boolean awaitClientClosed(Duration timeout) {
        return await(clientClosed, timeout);
    }

    /** True once the whole reply was written. */
    public boolean completed() {
        return completed.getCount() == 0;
    }

    public boolean awaitCompleted(Duration timeout) {
        return await(completed, timeout);
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + wire + " " + path + " model=" + model() + " stream=" + stream()
                + " lastUserText=" + lastUserText + "]";
    }

    void markClientClosed() {
        clientClosed.countDown();
    }

    void markCompleted() {
        completed.countDown();
    }

    boolean conversationContains(String fragment) {
        if ((wire == Wire.ANTHROPIC || wire == Wire.GEMINI) && systemPrompt != null && systemPrompt.contains(fragment)) {
            return true;
        }
        return anyTextContains(messages, fragment);
    }

    private static boolean anyTextContains(JsonNode node, String fragment) {
        if (node.isTextual()) {
            return node.asText().contains(fragment);
        }
        for (JsonNode child : node) {
            if (anyTextContains(child, fragment)) {
                return true;
            }
        }
        return false;
    }

    private String findLastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            String text = wire == Wire.GEMINI ? geminiTextOf(message) : textOf(message.path("content"));
            if (wire == Wire.OPENAI || wire == Wire.OLLAMA || text != null) {
                return text == null ? "" : text;
            }
        }
        return null;
    }

    private String findSystemPrompt() {
        if (wire == Wire.ANTHROPIC) {
            return textOf(body.path("system"));
        }
        if (wire == Wire.GEMINI) {
            return geminiTextOf(body.path("systemInstruction"));
        }
        StringBuilder joined = null;
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            if (role.equals("system") || role.equals("developer")) {
                String text = textOf(message.path("content"));
                if (text != null) {
                    joined = joined == null ? new StringBuilder(text) : joined.append('\n').append(text);
                }
            }
        }
        return joined == null ? null : joined.toString();
    }

    private List<String> findToolNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            for (JsonNode declaration : tool.path("functionDeclarations")) {
                if (declaration.path("name").isTextual()) {
                    names.add(declaration.path("name").asText());
                }
            }
            JsonNode name = wire != Wire.ANTHROPIC && tool.has("function") ? tool.path("function").path("name") : tool.path("name");
            if (name.isTextual()) {
                names.add(name.asText());
            }
        }
        for (JsonNode function : body.path("functions")) {
            if (function.path("name").isTextual()) {
                names.add(function.path("name").asText());
            }
        }
        return List.copyOf(names);
    }

    /** A string content, or the text parts of a content array joined; null when there is no text at all. */
    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return null;
        }
        StringBuilder text = null;
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                text = text == null ? new StringBuilder() : text;
                text.append(part.path("text").asText());
            }
        }
        return text == null ? null : text.toString();
    }

    /** The text parts of a Gemini content, thoughts left out, joined; null when there is no text at all. */
    private static String geminiTextOf(JsonNode content) {
        StringBuilder text = null;
        for (JsonNode part : content.path("parts")) {
            if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                text = text == null ? new StringBuilder() : text;
                text.append(part.path("text").asText());
            }
        }
        return text == null ? null : text.toString();
    }

    private Matcher geminiPath() {
        return GEMINI_PATH.matcher(path);
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return latch.getCount() == 0;
        }
    }
}
