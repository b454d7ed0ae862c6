package dev.switchboard.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.vault.SecretReferences;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends push notifications to a user's registered devices through the configured push endpoint: one JSON POST
 * {@code {to: [tokens], title, body, badge, data}}, retried on 5xx, 429 and network failures, never on another 4xx.
 * Tokens the endpoint reports invalid (a 410 for all of them, or {@code {"invalidTokens": [...]}} in the answer)
 * are removed. Delivery runs on its own virtual thread: a run never waits for it and never fails because of it. Logs
 * name the user and the outcome, never a token or the authorization header.
 */
public final class PushNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(PushNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_REF = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");
    static final int MAX_ATTEMPTS = 3;

    /** What one notification says; {@code data} travels to the app as it is. */
    public record Notification(String title, String body, Map<String, String> data) {
    }

    private final PushTokenStore tokens;
    private final URI endpoint;
    private final String authorization;
    private final Map<String, String> env;
    private final SecretReferences secrets;
    private final Clock clock;
    private final Duration firstBackoff;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param endpoint where notifications are POSTed, or null to send none
     * @param authorization the {@code Authorization} header's value or one reference to it ({@code $VAULT:name},
     *     {@code $ENV_VAR}), resolved at each delivery so a rotated value applies at once; null for none
     */
    public PushNotifier(PushTokenStore tokens, String endpoint, String authorization, Map<String, String> env,
            SecretReferences secrets, Clock clock, Duration firstBackoff) {
        this.tokens = tokens;
        this.endpoint = endpoint == null ? null : URI.create(endpoint);
        this.authorization = authorization;
        this.env = env;
        this.secrets = secrets;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
    }

    /** Whether an endpoint is configured. */
    public boolean enabled() {
        return endpoint != null;
    }

    /**
     * Sends the notification to the owner's devices on its own virtual thread, counting it on the badge. Returns at
     * once; nothing is sent when push is off or the owner has no device.
     */
    public void send(String ownerId, Notification notification) {
        if (!enabled()) {
            return;
        }
        Thread.ofVirtual().name("push-" + ownerId).start(() -> {
            try {
                notify(ownerId, notification);
            } catch (RuntimeException e) {
                LOG.warn("Push notification to user {} failed: {}", ownerId, e.toString());
            }
        });
    }

    /** Sends the notification to every device of the owner, blocking; adds one to the owner's badge first. */
    void notify(String ownerId, Notification notification) {
        List<PushToken> devices = tokens.list(ownerId);
        if (devices.isEmpty()) {
            return;
        }
        int badge = tokens.incrementBadge(ownerId, clock.instant());
        List<String> to = devices.stream().map(PushToken::token).toList();
        ObjectNode payload = JSON.createObjectNode();
        to.forEach(payload.putArray("to")::add);
        payload.put("title", notification.title()).put("body", notification.body()).put("badge", badge);
        ObjectNode data = payload.putObject("data");
        notification.data().forEach(data::put);
        deliver(ownerId, to, payload.toString());
    }

    private void deliver(String ownerId, List<String> to, String payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        String header = authorizationHeader();
        if (header != null) {
            request.header("Authorization", header);
        }
        String failure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                sleep(firstBackoff.multipliedBy(1L << (attempt - 2)));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int status = response.statusCode();
            if (status == 410) {
                // the endpoint says every token it was given is gone
                removeInvalid(ownerId, to);
                return;
            }
            if (status >= 200 && status < 300) {
                removeInvalid(ownerId, invalidTokens(response.body(), to));
                return;
            }
            failure = "HTTP " + status;
            if (status < 500 && status != 429) {
                break;
            }
        }
        LOG.warn("Push notification to {} device(s) of user {} failed: {}", to.size(), ownerId, failure);
    }

    /** The tokens the answer lists under {@code invalidTokens}, among those sent: it cannot remove others. */
    private static List<String> invalidTokens(String body, List<String> sent) {
        List<String> invalid = new ArrayList<>();
        try {
            JsonNode answer = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (answer != null && answer.get("invalidTokens") instanceof JsonNode list && list.isArray()) {
                list.forEach(t -> {
                    if (t.isTextual() && sent.contains(t.asText())) {
                        invalid.add(t.asText());
                    }
                });
            }
        } catch (IOException e) {
            // an answer that is not JSON reports nothing invalid
        }
        return invalid;
    }

    private void removeInvalid(String ownerId, List<String> invalid) {
        if (!invalid.isEmpty()) {
            int removed = tokens.removeTokens(invalid);
            LOG.info("Removed {} push token(s) of user {} that the push endpoint reports invalid", removed, ownerId);
        }
    }

    private String authorizationHeader() {
        if (authorization == null) {
            return null;
        }
        if (SecretReferences.referencedName(authorization) != null) {
            return secrets.resolve(authorization, new SecretReferences.Use("push", "push", null, "push.authorization"));
        }
        Matcher m = ENV_REF.matcher(authorization);
        if (m.matches()) {
            String value = env.get(m.group(1));
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("push.authorization refers to " + m.group(1) + ", which is not set");
            }
            return value.strip();
        }
        return authorization;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
