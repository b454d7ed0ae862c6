package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The response side of one exchange: headers, SSE framing, scripted pauses and the hang loop. */
final class ReplyChannel {

    static final Duration HANG_INTERVAL = Duration.ofMillis(20);
    static final Duration HANG_LIMIT = Duration.ofSeconds(60);

    private static final byte[] EVENT = utf8("event: ");
    private static final byte[] DATA = utf8("data: ");
    private static final byte[] END_OF_EVENT = utf8("\n\n");
    private static final byte[] DONE = utf8("data: [DONE]\n\n");
    static final byte[] SSE_KEEP_ALIVE = utf8(": keep-alive\n\n");
    // Leading whitespace is valid JSON, so a hanging non-streamed reply stays parseable if it ever completes.
    static final byte[] JSON_KEEP_ALIVE = utf8(" ");

    private final HttpExchange exchange;
    private final Reply reply;
    private final ObjectMapper json;
    private OutputStream out;

    ReplyChannel(HttpExchange exchange, Reply reply, ObjectMapper json) {
        this.exchange = exchange;
        this.reply = reply;
        this.json = json;
    }

    void awaitFirstByte() throws InterruptedIOException {
        pause(reply.firstByteDelay());
    }

    void sendJson(int status, JsonNode body) throws IOException {
        sendJson(status, json.writeValueAsBytes(body));
    }

    void sendJson(int status, byte[] body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        scriptedHeaders(headers);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }

    /** Starts a chunked 200 response whose body is written piece by piece. */
    void open(String contentType) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-cache");
        scriptedHeaders(headers);
        exchange.sendResponseHeaders(200, 0);
        out = exchange.getResponseBody();
    }

    void event(String type, JsonNode data) throws IOException {
        if (type != null) {
            out.write(EVENT);
            out.write(utf8(type));
            out.write('\n');
        }
        out.write(DATA);
        out.write(json.writeValueAsBytes(data));
        out.write(END_OF_EVENT);
        paced();
    }

    /** One line of a newline-delimited JSON stream. */
    void line(JsonNode data) throws IOException {
        out.write(json.writeValueAsBytes(data));
        out.write('\n');
        paced();
    }

    void done() throws IOException {
        out.write(DONE);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Keeps the connection busy until the client hangs up (the write then fails) or the hang limit passes. */
    void hang(byte[] filler) throws IOException {
        out.flush();
        long deadline = System.nanoTime() + HANG_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            pause(HANG_INTERVAL);
            out.write(filler);
            out.flush();
        }
    }

    void finish() throws IOException {
        out.close();
    }

    private void paced() throws IOException {
        if (!reply.chunkDelay().isZero()) {
            out.flush();
            pause(reply.chunkDelay());
        }
    }

    private void scriptedHeaders(Headers headers) {
        for (Map.Entry<String, String> header : reply.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
    }

    private static void pause(Duration duration) throws InterruptedIOException {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("fake LLM server stopping");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
