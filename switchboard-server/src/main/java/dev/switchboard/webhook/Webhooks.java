package dev.switchboard.webhook;

import dev.switchboard.Ids;
import dev.switchboard.event.Event;
import dev.switchboard.event.TapWorker;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.identity.Sealer;
import dev.switchboard.session.SessionDirectory;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks of seed 004: registered per owner, fed with the run events of the owner's sessions (through the event
 * hub's tap), delivered off the run's path from a durable outbox: every delivery is stored before its first attempt,
 * signed ({@link WebhookSignature}), retried with exponential backoff up to {@link Settings#maxAttempts}, and every
 * attempt is recorded. A restart picks pending deliveries up again; several nodes share the outbox safely because an
 * attempt first claims its delivery with a conditional update. Secrets are sealed at rest and never shown again.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_SECRET = 500;
    public static final int MIN_SECRET = 8;
    public static final int MAX_EVENTS = 50;
    private static final Pattern EVENT_NAME = Pattern.compile("\\*|[a-z][a-z0-9-]*:[a-z][a-z0-9-]*");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR = 300;
    private static final int QUEUE_CAPACITY = 10_000;

    /**
     * @param maxAttempts attempts in all, the first one included
     * @param firstBackoff the wait after the first failure; each further failure doubles it, up to {@code maxBackoff}
     * @param lease how long an attempt holds its delivery before another worker may take it again
     */
    public record Settings(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration pollInterval,
            Duration lease, int parallelAttempts) {

        /** Ten attempts over about 17 minutes. */
        public static final Settings DEFAULT = new Settings(10, Duration.ofSeconds(2), Duration.ofMinutes(10),
                Duration.ofMillis(500), Duration.ofSeconds(60), 8);

        /** The wait before attempt {@code failedAttempts + 1}. */
        Duration backoff(int failedAttempts) {
            Duration wait = firstBackoff.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }

    /** What one test delivery found. */
    public record TestResult(boolean success, Integer statusCode, long responseTimeMs, String error) {
    }

    /** A delivery with its attempts, for the delivery log. */
    public record DeliveryLog(WebhookDelivery delivery, List<WebhookAttempt> attempts) {
    }

    private final WebhookStore store;
    private final SessionDirectory sessions;
    private final AddressPolicy policy;
    private final Sealer sealer;
    private final Function<Event, String> eventJson;
    private final Clock clock;
    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    private final TapWorker fanOut = new TapWorker("webhook-events", QUEUE_CAPACITY, this::enqueue);
    private final Semaphore attempts;
    private final Object wake = new Object();
    /** Every event name some webhook wants, so that the tap drops the rest (streamed chunks) at once. */
    private volatile Set<String> wanted = Set.of();
    private volatile boolean closed;
    private Thread poller;

    /**
     * @param eventJson an event as the JSON its receivers get in {@code data}: the same shape as the SSE stream
     */
    public Webhooks(WebhookStore store, SessionDirectory sessions, AddressPolicy policy, Sealer sealer,
            Function<Event, String> eventJson, Clock clock, Settings settings) {
        this.store = store;
        this.sessions = sessions;
        this.policy = policy;
        this.sealer = sealer;
        this.eventJson = eventJson;
        this.clock = clock;
        this.settings = settings;
        this.attempts = new Semaphore(settings.parallelAttempts());
    }

    /** Starts the workers: one fans events out to deliveries, one attempts the deliveries that are due. */
    public Webhooks start() {
        refreshWanted();
        fanOut.start();
        poller = Thread.ofVirtual().name("webhook-deliveries").start(this::deliveryLoop);
        return this;
    }

    // ---- registration

    /**
     * @param secret the HMAC key the receiver verifies with; null for unsigned deliveries
     * @param events event names ({@code run:complete}, {@code *} for all); null or empty for the default set
     */
    public Webhook register(String ownerId, String url, String secret, String description, List<String> events) {
        if (secret != null && (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET)) {
            throw new InvalidInputException("secret", "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        List<String> names = events == null ? List.of() : events;
        if (names.size() > MAX_EVENTS) {
            throw new InvalidInputException("events", "at most " + MAX_EVENTS + " event names");
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || !EVENT_NAME.matcher(names.get(i)).matches()) {
                throw new InvalidInputException("events[" + i + "]", "must be an event name such as run:complete, "
                        + "or * for every event");
            }
        }
        // last: it may need a DNS lookup
        URI uri = policy.checkedUrl("url", url);
        String id = Ids.next("whk");
        Webhook webhook = new Webhook(id, ownerId, uri.toString(), description, List.copyOf(new HashSet<>(names))
                .stream().sorted().toList(),
                secret == null ? null : sealer.seal(secret.getBytes(StandardCharsets.UTF_8), id), clock.instant());
        store.add(webhook);
        refreshWanted();
        return webhook;
    }

    public Webhook get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("webhook", id));
    }

    public List<Webhook> list(String ownerId) {
        return store.list(ownerId);
    }

    public void delete(String ownerId, String id) {
        if (!store.delete(ownerId, id)) {
            throw new NotFoundException("webhook", id);
        }
        refreshWanted();
    }

    /** The webhook's latest deliveries, newest first, each with its attempts. */
    public List<DeliveryLog> deliveries(String ownerId, String id, int limit) {
        get(ownerId, id);
        List<WebhookDelivery> found = store.deliveries(id, limit);
        Map<String, List<WebhookAttempt>> byDelivery = new LinkedHashMap<>();
        for (WebhookAttempt attempt : store.attempts(found.stream().map(WebhookDelivery::id).toList())) {
            byDelivery.computeIfAbsent(attempt.deliveryId(), k -> new ArrayList<>()).add(attempt);
        }
        return found.stream().map(d -> new DeliveryLog(d, byDelivery.getOrDefault(d.id(), List.of()))).toList();
    }

    /**
     * Sends a sample {@code webhook:test} event now, once, and says what happened; the attempt is recorded like any
     * other, but never retried.
     */
    public TestResult test(String ownerId, String id) {
        Webhook webhook = get(ownerId, id);
        Instant now = clock.instant();
        String deliveryId = Ids.next("dlv");
        String body = body(deliveryId, "webhook:test", now, "{\"webhookId\":\"" + id + "\",\"message\":"
                + "\"This is a test delivery from Switchboard\"}");
        WebhookDelivery delivery = new WebhookDelivery(deliveryId, id, ownerId, "webhook:test", body,
                WebhookDelivery.Status.PENDING, 0, now.plus(settings.lease()), null, null, now, now);
        store.addDelivery(delivery);
        WebhookAttempt attempt = send(webhook, delivery, 1);
        store.recordAttempt(attempt, attempt.succeeded() ? WebhookDelivery.Status.DELIVERED
                : WebhookDelivery.Status.FAILED, clock.instant(), clock.instant());
        return new TestResult(attempt.succeeded(), attempt.statusCode(), attempt.durationMs(),
                attempt.succeeded() ? null : attempt.error() != null ? attempt.error() : "HTTP " + attempt.statusCode());
    }

    // ---- events in

    /** For the event hub's tap: never blocks; events no webhook wants are dropped here. */
    public void onEvent(Event event) {
        if (!closed && (wanted.contains(event.name()) || wanted.contains("*"))) {
            fanOut.offer(event);
        }
    }

    private void enqueue(Event event) {
        Optional<SessionDirectory.Entry> session = sessions.find(event.sessionId());
        if (session.isEmpty()) {
            return;
        }
        String ownerId = session.get().ownerId();
        boolean queued = false;
        for (Webhook webhook : store.list(ownerId)) {
            if (!webhook.wants(event.name())) {
                continue;
            }
            Instant now = clock.instant();
            String deliveryId = Ids.next("dlv");
            store.addDelivery(new WebhookDelivery(deliveryId, webhook.id(), ownerId, event.name(),
                    body(deliveryId, event.name(), event.timestamp(), eventJson.apply(event)),
                    WebhookDelivery.Status.PENDING, 0, now, null, null, now, now));
            queued = true;
        }
        if (queued) {
            synchronized (wake) {
                wake.notifyAll();
            }
        }
    }

    private static String body(String deliveryId, String event, Instant at, String data) {
        return "{\"id\":\"" + deliveryId + "\",\"type\":\"" + event + "\",\"createdAt\":\"" + at + "\",\"data\":"
                + data + "}";
    }

    // ---- deliveries out

    private void deliveryLoop() {
        long lastRefresh = System.nanoTime();
        while (!closed) {
            try {
                List<WebhookDelivery> due = store.due(clock.instant(), settings.parallelAttempts() * 4);
                for (WebhookDelivery delivery : due) {
                    if (closed) {
                        return;
                    }
                    if (store.claim(delivery.id(), delivery.nextAttemptAt(), clock.instant().plus(settings.lease()))) {
                        attempts.acquire();
                        Thread.ofVirtual().name("webhook-" + delivery.id()).start(() -> {
                            try {
                                attempt(delivery);
                            } finally {
                                attempts.release();
                            }
                        });
                    }
                }
                if (System.nanoTime() - lastRefresh > TimeUnit.SECONDS.toNanos(30)) {
                    // another node may have registered or deleted webhooks
                    refreshWanted();
                    lastRefresh = System.nanoTime();
                }
                synchronized (wake) {
                    wake.wait(settings.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Webhook delivery loop: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private void attempt(WebhookDelivery delivery) {
        try {
            Optional<Webhook> webhook = store.find(delivery.ownerId(), delivery.webhookId());
            int number = delivery.attempts() + 1;
            Instant now = clock.instant();
            if (webhook.isEmpty()) {
                return;
            }
            WebhookAttempt attempt = send(webhook.get(), delivery, number);
            WebhookDelivery.Status status = attempt.succeeded() ? WebhookDelivery.Status.DELIVERED
                    : number >= settings.maxAttempts() ? WebhookDelivery.Status.FAILED : WebhookDelivery.Status.PENDING;
            Instant next = status == WebhookDelivery.Status.PENDING ? clock.instant().plus(settings.backoff(number))
                    : clock.instant();
            store.recordAttempt(attempt, status, next, now);
            if (status == WebhookDelivery.Status.FAILED) {
                LOG.warn("Webhook {} gave up on delivery {} ({}) after {} attempts", delivery.webhookId(),
                        delivery.id(), delivery.event(), number);
            }
        } catch (RuntimeException e) {
            LOG.warn("Webhook delivery {} could not be attempted: {}", delivery.id(), e.toString());
        }
    }

    /** One signed POST; what came back, or why nothing did. */
    private WebhookAttempt send(Webhook webhook, WebhookDelivery delivery, int number) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        try {
            URI uri = URI.create(webhook.url());
            // checked again at each attempt: the name may resolve to another address by now
            policy.check("url", uri);
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Switchboard-Webhooks")
                    .header(WebhookSignature.EVENT, delivery.event())
                    .header(WebhookSignature.DELIVERY, delivery.id())
                    .header(WebhookSignature.TIMESTAMP, Long.toString(timestamp))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8));
            if (webhook.sealedSecret() != null) {
                byte[] secret = sealer.open(webhook.sealedSecret(), webhook.id());
                request.header(WebhookSignature.SIGNATURE, WebhookSignature.sign(secret, timestamp, delivery.body()));
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new WebhookAttempt(delivery.id(), number, status,
                    status >= 200 && status < 300 ? null : "HTTP " + status, elapsed(t0), started);
        } catch (InvalidInputException e) {
            return new WebhookAttempt(delivery.id(), number, null, cut(e.getMessage()), elapsed(t0), started);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new WebhookAttempt(delivery.id(), number, null, cut(message), elapsed(t0), started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebhookAttempt(delivery.id(), number, null, "interrupted", elapsed(t0), started);
        }
    }

    private void refreshWanted() {
        Set<String> names = new HashSet<>();
        for (Webhook webhook : store.all()) {
            names.addAll(webhook.events().isEmpty() ? Webhook.DEFAULT_EVENTS : webhook.events());
        }
        wanted = Set.copyOf(names);
    }

    private static long elapsed(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static String cut(String text) {
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        fanOut.close();
        if (poller != null) {
            poller.interrupt();
        }
    }
}
