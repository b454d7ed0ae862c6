package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.testkit.HttpTranscript;
import dev.switchboard.testkit.TestSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A real Switchboard on a random loopback port over a temporary home, with a small HTTP client for tests. */
final class TestServer implements AutoCloseable {

    static final String KEY = "test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Map<String, String> env;
    private Switchboard server;
    // every response is written to the transcript that SecretsScanTest searches for secrets
    final HttpClient http = HttpTranscript.recording(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());

    private TestServer(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** A home whose default agent talks to {@code baseUrl} with the given provider, offering current_time. */
    static Path homeWithAgent(Path dir, String provider, String baseUrl) {
        writeAgent(dir, "default", """
                systemPrompt: You are a test agent.
                llm:
                  provider: %s
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 5
                  maxRetries: 0
                  reasoningEffort: low
                  timeoutSeconds: 30
                tools: [current_time]
                """.formatted(provider, baseUrl));
        return dir;
    }

    static void writeAgent(Path home, String id, String yaml) {
        try {
            Files.createDirectories(home.resolve("agents"));
            Files.writeString(home.resolve("agents").resolve(id + ".yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client of a server a test started itself; closing it does not stop the server. */
    static TestServer attach(Switchboard running) {
        TestServer test = new TestServer(null, Map.of());
        test.server = running;
        return test;
    }

    static TestServer start(Path home) {
        return start(home, Map.of());
    }

    static TestServer start(Path home, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.putIfAbsent("SWITCHBOARD_API_KEY", KEY);
        TestServer test = new TestServer(home, env);
        test.boot();
        return test;
    }

    private void boot() {
        Home h = new Home(home);
        h.initialize();
        ServerConfig config = ServerConfigFile.load(h.configFile(), env).withHost("127.0.0.1").withPort(0);
        server = Switchboard.start(h, config, env, new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    /** Stops the server and starts a new one on the same home. */
    void restart() {
        server.close();
        boot();
    }

    Switchboard switchboard() {
        return server;
    }

    String url(String path) {
        return server.baseUrl() + path;
    }

    /** A response: status and parsed JSON body (null when the body is not JSON). */
    record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
        String errorField() {
            return json.path("error").path("details").path("field").asText(null);
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply post(String path, Object body) {
        return send(request(path).POST(sent(path, body)));
    }

    Reply patch(String path, Object body) {
        return send(request(path).method("PATCH", sent(path, body)));
    }

    Reply put(String path, Object body) {
        return send(request(path).PUT(sent(path, body)));
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    HttpRequest.Builder request(String path) {
        return request(path, KEY);
    }

    /** A request carrying {@code token} as its bearer credential (none when null). */
    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** A client that sends {@code token} (an access token, a personal access token, or null for none). */
    Client as(String token) {
        return new Client(token);
    }

    /** Creates a user through the admin API (with the operator's key) and returns its id. */
    String createUser(String username, String password, String role) {
        TestSecrets.register(password);
        Reply created = post("/api/admin/users", Map.of("username", username, "password", password, "role", role));
        if (created.status() != 201) {
            throw new IllegalStateException("Creating user " + username + " failed: " + created.body());
        }
        return created.json().path("id").asText();
    }

    /** Signs in and returns the access token. */
    String login(String username, String password) {
        TestSecrets.register(password);
        Reply reply = as(null).post("/api/auth/login", Map.of("username", username, "password", password));
        if (reply.status() != 200) {
            throw new IllegalStateException("Login of " + username + " failed: " + reply.body());
        }
        return reply.json().path("accessToken").asText();
    }

    /** Requests with one credential. */
    final class Client {
        private final String token;

        Client(String token) {
            this.token = token;
        }

        Reply get(String path) {
            return send(request(path, token).GET());
        }

        Reply post(String path, Object body) {
            return send(request(path, token).POST(sent(path, body)));
        }

        Reply put(String path, Object body) {
            return send(request(path, token).PUT(sent(path, body)));
        }

        Reply patch(String path, Object body) {
            return send(request(path, token).method("PATCH", sent(path, body)));
        }

        Reply delete(String path) {
            return send(request(path, token).DELETE());
        }

        Reply method(String method, String path, Object body) {
            return send(request(path, token).method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody() : sent(path, body)));
        }
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // leave json null: the test looks at the body
            }
            return new Reply(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens an SSE response and returns its status and a reader of events. */
    SseReader stream(HttpRequest.Builder request) {
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new SseReader(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    SseReader streamMessage(String sessionId, String content) {
        return stream(request("/api/message-stream").POST(publisher(Map.of("sessionId", sessionId, "content", content))));
    }

    /**
     * The body as sent, its secrets registered first: passwords and provider keys wherever they go, values stored
     * in the vault and agents' credentials. SecretsScanTest then proves that no answer and no log line holds them.
     */
    static HttpRequest.BodyPublisher sent(String path, Object body) {
        if (body instanceof Map<?, ?> fields) {
            fields.forEach((name, value) -> {
                boolean secret = List.of("password", "newPassword", "currentPassword", "apiKey").contains(name)
                        || (path.startsWith("/api/vault") && name.equals("value"));
                // a reference ($VAULT:name, $ENV_VAR) names where a secret is; echoing it gives nothing away
                if (secret && value instanceof String text && text.length() >= TestSecrets.MIN_LENGTH
                        && !text.startsWith("$")) {
                    TestSecrets.register(text);
                }
                if (path.endsWith("/credentials") && name.equals("credentials") && value instanceof Map<?, ?> map) {
                    map.values().forEach(v -> {
                        if (v instanceof String text && text.length() >= TestSecrets.MIN_LENGTH) {
                            TestSecrets.register(text);
                        }
                    });
                }
            });
        }
        return publisher(body);
    }

    static HttpRequest.BodyPublisher publisher(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads SSE frames: each event is the parsed {@code data} JSON with the frame's id and event name. */
    static final class SseReader implements AutoCloseable {
        final HttpResponse<InputStream> response;
        private final BufferedReader reader;

        SseReader(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        int status() {
            return response.statusCode();
        }

        /** Reads events until one matches {@code last} (included) or the stream ends. */
        List<JsonNode> readUntil(Predicate<JsonNode> last) {
            List<JsonNode> events = new ArrayList<>();
            try {
                String line;
                String id = null;
                String name = null;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        JsonNode event = JSON.readTree(line.substring(6));
                        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("_id", id).put("_event", name);
                        events.add(event);
                        if (last.test(event)) {
                            return events;
                        }
                    }
                }
                return events;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<JsonNode> readAll() {
            return readUntil(e -> false);
        }

        static Predicate<JsonNode> named(String name) {
            return e -> name.equals(e.path("name").asText());
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }

    static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("name").asText()).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
