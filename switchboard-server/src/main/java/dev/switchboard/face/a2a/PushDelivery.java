package dev.switchboard.face.a2a;

import dev.switchboard.face.api.Json;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.identity.Sealer;
import dev.switchboard.task.PushTarget;
import dev.switchboard.task.Task;
import dev.switchboard.task.Tasks;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a task's snapshot to each URL its client registered whenever the task changes, in the shape of the A2A
 * version the client spoke, with the client's token in {@code X-A2A-Notification-Token}. The URLs obey the same
 * address policy as the {@code http_request} tool: no private, loopback or metadata targets unless configured.
 */
final class PushDelivery implements Tasks.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushDelivery.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String TOKEN_HEADER = "X-A2A-Notification-Token";

    private final Tasks tasks;
    private final AddressPolicy policy;
    private final Sealer sealer;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(TIMEOUT).build();
    /** A virtual thread per delivery: a receiver that answers slowly holds only its own. */
    private final ExecutorService sender = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * The last delivery queued for each target (task id and target id): each waits for the one before, so a receiver
     * sees a task's notifications in the order of its changes, and one slow receiver delays no other.
     */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    PushDelivery(Tasks tasks, AddressPolicy policy, Sealer sealer) {
        this.tasks = tasks;
        this.policy = policy;
        this.sealer = sealer;
    }

    String seal(String plain, String taskId, String id) {
        return plain == null ? null : sealer.seal(plain.getBytes(StandardCharsets.UTF_8), context(taskId, id));
    }

    /**
     * Checks a URL a client gave for its notifications.
     *
     * @throws InvalidInputException naming {@code field} when it is not an absolute http(s) URL the policy allows
     */
    URI check(String url, String field) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidInputException(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidInputException(field, "must be an absolute http:// or https:// URL");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidInputException(field, "must not carry credentials");
        }
        String host = AddressPolicy.normalizeHost(uri.getHost());
        policy.refuseHost(host).ifPresent(reason -> {
            throw new InvalidInputException(field, "refused " + uri.getHost() + ": " + reason);
        });
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidInputException(field, "host '" + host + "' was not found");
        }
        for (InetAddress address : addresses) {
            policy.refuseAddress(host, address).ifPresent(reason -> {
                throw new InvalidInputException(field, "refused " + uri.getHost() + ": " + reason);
            });
        }
        return uri;
    }

    @Override
    public void changed(Task task) {
        for (PushTarget target : tasks.pushTargetsOf(task)) {
            String key = target.taskId() + "\n" + target.id();
            try {
                CompletableFuture<Void> next = tails.compute(key, (k, tail) -> (tail == null
                        ? CompletableFuture.<Void>completedFuture(null) : tail)
                        .thenRunAsync(() -> deliver(task, target), sender));
                // forgotten once it is the last one and done, so that ended tasks leave nothing behind
                next.whenComplete((ignored, failure) -> tails.remove(key, next));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("Not sending the push notification of task {}: shutting down", task.id());
            }
        }
    }

    private void deliver(Task task, PushTarget target) {
        try {
            // checked again at each delivery: the name may resolve elsewhere now
            URI uri = check(target.url(), "url");
            A2aWire wire = "0.3".equals(target.protocolVersion()) ? A2aWire.V0_3 : A2aWire.V1_0;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(wire.streamTask(wire.task(task, null)))));
            String context = context(target.taskId(), target.id());
            if (target.sealedToken() != null) {
                request.header(TOKEN_HEADER, open(target.sealedToken(), context));
            }
            if (target.authScheme() != null && target.sealedCredentials() != null) {
                request.header("Authorization", target.authScheme() + " " + open(target.sealedCredentials(),
                        context));
            }
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                LOG.info("The push notification of task {} to {} was answered {}", task.id(), uri.getHost(),
                        response.statusCode());
            }
        } catch (InvalidInputException e) {
            LOG.info("Not sending the push notification of task {}: {}", task.id(), e.getMessage());
        } catch (java.io.IOException e) {
            LOG.info("Could not send the push notification of task {}: {}", task.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The push notification of task {} failed: {}", task.id(), e.toString());
        }
    }

    private String open(String sealed, String context) {
        return new String(sealer.open(sealed, context), StandardCharsets.UTF_8);
    }

    private static String context(String taskId, String id) {
        return "a2a-push:" + taskId + ":" + id;
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
