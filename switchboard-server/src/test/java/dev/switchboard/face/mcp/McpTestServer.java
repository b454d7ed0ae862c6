package dev.switchboard.face.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.server.Switchboard;
import dev.switchboard.testkit.HttpTranscript;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A real Switchboard on a random loopback port, with an agent talking to the fake model, and MCP helpers. */
final class McpTestServer implements AutoCloseable {

    static final String KEY = "mcp-test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final Switchboard server;
    // every response is written to the transcript that SecretsScanTest searches for secrets
    final HttpClient http = HttpTranscript.recording(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());

    private McpTestServer(Switchboard server) {
        this.server = server;
    }

    /**
     * A home with agent {@code helper} (exposed, with {@code current_time} as an exposed tool of its own) and agents
     * {@code hidden} and {@code default} ({@code expose.mcp: false}), all on the fake model at {@code llmBaseUrl}.
     */
    static Path home(Path dir, String llmBaseUrl) {
        writeAgent(dir, "helper", """
                name: Helper
                description: Answers test questions.
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 5
                  maxRetries: 0
                  timeoutSeconds: 30
                tools: [current_time]
                expose:
                  tools: [current_time]
                """.formatted(llmBaseUrl));
        writeAgent(dir, "hidden", unexposed("Not offered over MCP.", llmBaseUrl));
        writeAgent(dir, "default", unexposed("The default agent.", llmBaseUrl));
        return dir;
    }

    private static String unexposed(String systemPrompt, String llmBaseUrl) {
        return """
                systemPrompt: %s
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxRetries: 0
                expose:
                  mcp: false
                """.formatted(systemPrompt, llmBaseUrl);
    }

    static void writeAgent(Path home, String id, String yaml) {
        write(home.resolve("agents").resolve(id + ".yml"), yaml);
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static McpTestServer start(Path home) {
        Map<String, String> env = Map.of("SWITCHBOARD_API_KEY", KEY);
        Home h = new Home(home);
        h.initialize();
        ServerConfig config = ServerConfigFile.load(h.configFile(), env).withHost("127.0.0.1").withPort(0);
        return new McpTestServer(Switchboard.start(h, config, env,
                new PrintStream(OutputStream.nullOutputStream())));
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return server.baseUrl() + path;
    }

    /** An MCP client on {@code path} ({@code /mcp} or {@code /mcp/<token>}) with the API key. */
    Client client(String path) {
        return new Client(path);
    }

    /** A request with the API key and JSON content type. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json");
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response post(String path, Object body) {
        return send(request(path).POST(publisher(body)));
    }

    static HttpRequest.BodyPublisher publisher(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends raw HTTP/1.1 over a socket, for headers the JDK client will not set ({@code Host}); returns the status
     * line's code and the whole response text.
     */
    RawResponse raw(String method, String path, Map<String, String> headers, String body) {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(30_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new RawResponse(status, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record RawResponse(int status, String text) {
    }

    /** A response with its body, and the JSON-RPC messages in it (one for JSON, each event's data for SSE). */
    record Response(int status, String body, HttpResponse<String> raw) {

        String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        List<JsonNode> messages() {
            List<JsonNode> messages = new ArrayList<>();
            if (contentType().startsWith("text/event-stream")) {
                for (String line : body.split("\n")) {
                    if (line.startsWith("data: ")) {
                        try {
                            messages.add(JSON.readTree(line.substring(6)));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            } else if (!body.isBlank()) {
                messages.add(json());
            }
            return messages;
        }

        /** The JSON-RPC response among the messages (the last one). */
        JsonNode answer() {
            List<JsonNode> messages = messages();
            if (messages.isEmpty()) {
                throw new AssertionError("no JSON-RPC message in " + status + " " + body);
            }
            return messages.getLast();
        }
    }

    /** A minimal streamable-HTTP MCP client. */
    final class Client {
        final String path;
        String sessionId;
        private final AtomicInteger ids = new AtomicInteger();

        Client(String path) {
            this.path = path;
        }

        HttpRequest.Builder base() {
            HttpRequest.Builder request = request(path).header("Accept", "application/json, text/event-stream");
            if (sessionId != null) {
                request.header("Mcp-Session-Id", sessionId);
            }
            return request;
        }

        /** Initializes a session and sends {@code notifications/initialized}; returns the initialize result. */
        JsonNode initialize() {
            ObjectNode params = JSON.createObjectNode().put("protocolVersion", "2025-06-18");
            params.putObject("capabilities");
            params.putObject("clientInfo").put("name", "switchboard-test").put("version", "1");
            Response response = send(base().POST(publisher(message("initialize", params))));
            if (response.status() != 200) {
                throw new AssertionError("initialize answered " + response.status() + " " + response.body());
            }
            sessionId = response.raw().headers().firstValue("Mcp-Session-Id")
                    .orElseThrow(() -> new AssertionError("no Mcp-Session-Id"));
            Response initialized = notify("notifications/initialized", null);
            if (initialized.status() != 202) {
                throw new AssertionError("notifications/initialized answered " + initialized.status());
            }
            return response.answer().path("result");
        }

        Response call(String method, Object params) {
            return send(base().POST(publisher(message(method, params))));
        }

        Response notify(String method, Object params) {
            ObjectNode notification = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
            if (params != null) {
                notification.set("params", JSON.valueToTree(params));
            }
            return send(base().POST(publisher(notification)));
        }

        /** Calls a tool and returns the JSON-RPC response's {@code result} (failing on a JSON-RPC error). */
        JsonNode callTool(String name, Map<String, Object> arguments) {
            JsonNode answer = call("tools/call", Map.of("name", name, "arguments", arguments)).answer();
            if (answer.has("error")) {
                throw new AssertionError("tools/call failed: " + answer);
            }
            return answer.path("result");
        }

        ObjectNode message(String method, Object params) {
            ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                    .put("method", method);
            if (params != null) {
                request.set("params", JSON.valueToTree(params));
            }
            return request;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
