package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.server.Switchboard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard chat}: talks to an agent from the terminal, streaming the reply. Uses the running server
 * when one answers; otherwise starts one inside this process on the same home, on a loopback port.
 */
@Command(name = "chat", description = "Chat with an agent from the terminal.")
final class ChatCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", description = "Server URL (default: the address in switchboard.yml).")
    String url;

    @Option(names = "--api-key", description = "API key (default: $SWITCHBOARD_API_KEY).")
    String apiKey;

    @Option(names = "--agent", description = "Agent id for a new session (default: the default agent).")
    String agent;

    @Option(names = "--session", description = "Continue this session id instead of starting a new one.")
    String session;

    @Option(names = "--home", description = "Home folder (default $SWITCHBOARD_HOME, else ~/.switchboard).")
    Path home;

    @Option(names = {"-m", "--message"}, description = "Send one message, print the reply and exit.")
    String message;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    ChatCommand() {
        this(System.getenv(), System.in, System.out, System.err);
    }

    ChatCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        Home resolved = Home.resolve(home, env);
        String key = apiKey != null ? apiKey : env.get("SWITCHBOARD_API_KEY");
        Switchboard embedded = null;
        String base = url;
        if (base == null) {
            resolved.initialize();
            ServerConfig config = ServerConfigFile.load(resolved.configFile(), env);
            String host = "0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host();
            base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.port();
            if (!answers(base)) {
                // no server runs on this home: run one here, guarded by a key that lives as long as this process
                key = randomKey();
                Map<String, String> embeddedEnv = new HashMap<>(env);
                embeddedEnv.put("SWITCHBOARD_API_KEY", key);
                embedded = Switchboard.start(resolved, config.withHost("127.0.0.1").withPort(0), embeddedEnv,
                        new PrintStream(java.io.OutputStream.nullOutputStream()));
                base = embedded.baseUrl();
            }
        }
        if (key == null) {
            err.println("switchboard chat: a server runs at " + base
                    + "; give its API key with --api-key or SWITCHBOARD_API_KEY.");
            return 2;
        }
        try {
            return converse(base, key);
        } catch (ChatFailure e) {
            err.println("switchboard chat: " + e.getMessage());
            return 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** A failure to report to the user as one line. */
    private static final class ChatFailure extends RuntimeException {
        ChatFailure(String message) {
            super(message);
        }
    }

    private int converse(String base, String key) throws Exception {
        String sessionId = session != null ? session : createSession(base, key);
        if (message != null) {
            return send(base, key, sessionId, message) ? 0 : 1;
        }
        out.println("Session " + sessionId + ". Type a message; /new starts a new session, /exit quits.");
        BufferedReader input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        while (true) {
            out.print("\nyou> ");
            out.flush();
            String line = input.readLine();
            if (line == null || line.strip().equals("/exit") || line.strip().equals("/quit")) {
                return 0;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.strip().equals("/new")) {
                sessionId = createSession(base, key);
                out.println("Session " + sessionId + ".");
                continue;
            }
            send(base, key, sessionId, line);
        }
    }

    private String createSession(String base, String key) throws IOException, InterruptedException {
        Map<String, Object> body = new HashMap<>();
        if (agent != null) {
            body.put("agentId", agent);
        }
        HttpResponse<String> response = http.send(request(base + "/api/sessions", key)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        if (response.statusCode() != 201) {
            throw new ChatFailure(json.path("error").path("message").asText(response.body()));
        }
        return json.path("session").path("id").asText();
    }

    /** Sends one message and prints the streamed reply; false when the run failed. */
    private boolean send(String base, String key, String sessionId, String text) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("sessionId", sessionId, "content", text));
        HttpResponse<InputStream> response = http.send(request(base + "/api/message-stream", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            JsonNode error = JSON.readTree(response.body());
            err.println("error: " + error.path("error").path("message").asText(error.toString()));
            return false;
        }
        boolean ok = true;
        boolean reasoning = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            out.print("agent> ");
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                JsonNode event = JSON.readTree(line.substring(6));
                switch (event.path("name").asText()) {
                    case "llm:chunk" -> {
                        boolean isReasoning = "reasoning".equals(event.path("chunkType").asText());
                        if (isReasoning != reasoning) {
                            out.print(isReasoning ? "\u001b[2m" : "\u001b[0m");
                            reasoning = isReasoning;
                        }
                        out.print(event.path("content").asText());
                        out.flush();
                    }
                    case "llm:tool-call" -> out.print("\n  [tool " + event.path("toolName").asText() + " "
                            + event.path("args").asText() + "]\n");
                    case "llm:tool-result" -> out.print("  [" + (event.path("success").asBoolean() ? "ok" : "failed")
                            + "]\nagent> ");
                    case "llm:error" -> {
                        err.print("\nerror: " + event.path("error").asText());
                        ok = false;
                    }
                    default -> {
                    }
                }
            }
        }
        if (reasoning) {
            out.print("\u001b[0m");
        }
        out.println();
        return ok;
    }

    private boolean answers(String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(java.time.Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpRequest.Builder request(String uri, String key) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json");
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "sb_local_" + HexFormat.of().formatHex(bytes);
    }
}
