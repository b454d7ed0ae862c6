package dev.switchboard.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * {@code http_request}: one HTTP request to a public address (unless the server's settings open others), with
 * redirects followed by hand so that every hop passes the same checks, and caps on time and size.
 */
public final class HttpRequestTool extends BuiltInTool {

    static final int MAX_REDIRECTS = 5;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final List<String> SHOWN_HEADERS = List.of("content-type", "content-length", "content-encoding",
            "content-disposition", "location", "retry-after", "last-modified", "etag", "cache-control",
            "www-authenticate", "x-ratelimit-remaining", "x-ratelimit-reset");
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final AddressPolicy policy;
    private final int maxResponseBytes;
    private final int maxRequestBytes;
    private final int maxTimeoutSeconds;
    private final int connectTimeoutSeconds;
    /** Built on the first request: the JDK client sets up TLS when it is built, which would slow the start. */
    private volatile HttpClient client;

    public HttpRequestTool(ServerConfig.HttpTool settings) {
        super("http_request", ToolRisk.ACTS, """
                Sends one HTTP request to a public http:// or https:// URL and returns the status, the main \
                response headers and the body as text (binary bodies are summarized; bodies over %d bytes are \
                truncated). Redirects are followed, up to %d. Private, loopback and cloud metadata addresses are \
                refused unless the server allows them. The whole request may take at most %d seconds."""
                .formatted(settings.maxResponseBytes(), MAX_REDIRECTS, settings.timeoutSeconds()), """
                {"type":"object","properties":{\
                "url":{"type":"string","minLength":1,"description":"absolute http:// or https:// URL, query included"},\
                "method":{"type":"string","enum":["GET","POST","PUT","PATCH","DELETE","HEAD"]},\
                "headers":{"type":"object","additionalProperties":{"type":"string"},\
                "description":"request headers by name, such as {\\"Accept\\": \\"application/json\\"}"},\
                "body":{"type":"string","description":"request body text; Content-Type defaults to application/json \
                when it is JSON, else text/plain"},\
                "timeoutSeconds":{"type":"integer","minimum":1,"maximum":%d,"description":"give up after this many seconds"}},\
                "required":["url","method"],"additionalProperties":false}""".formatted(settings.timeoutSeconds()));
        this.policy = settings.policy();
        this.maxResponseBytes = settings.maxResponseBytes();
        this.maxRequestBytes = settings.maxRequestBytes();
        this.maxTimeoutSeconds = settings.timeoutSeconds();
        this.connectTimeoutSeconds = settings.timeoutSeconds();
    }

    private HttpClient client() {
        HttpClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .proxy(HttpClient.Builder.NO_PROXY)
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                            .build();
                    client = built;
                }
            }
        }
        return built;
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        String method = arguments.requiredString("method").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new ToolFailure("method must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
        }
        URI uri = parseUrl(arguments.requiredString("url"));
        Map<String, String> headers = headers(arguments.get("headers"));
        String body = arguments.optionalString("body");
        byte[] bodyBytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (bodyBytes != null && (method.equals("GET") || method.equals("HEAD"))) {
            throw new ToolFailure("a " + method + " request cannot have a body");
        }
        if (bodyBytes != null && bodyBytes.length > maxRequestBytes) {
            throw new ToolFailure("the body is " + bodyBytes.length + " bytes; requests may send at most "
                    + maxRequestBytes);
        }
        if (bodyBytes != null && headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
            headers.put("Content-Type", looksLikeJson(body) ? "application/json" : "text/plain; charset=utf-8");
        }
        if (headers.keySet().stream().noneMatch("user-agent"::equalsIgnoreCase)) {
            headers.put("User-Agent", "Switchboard http_request");
        }
        int seconds = arguments.optionalInt("timeoutSeconds", maxTimeoutSeconds, 1, maxTimeoutSeconds);
        try (Exchange exchange = new Exchange(seconds, context)) {
            return exchange.run(uri, method, headers, bodyBytes);
        }
    }

    private static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new ToolFailure("'" + url + "' is not a valid URL: " + e.getReason());
        }
        checkShape(uri, url);
        return uri;
    }

    private static void checkShape(URI uri, String shown) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ToolFailure("'" + shown + "': only http:// and https:// URLs are allowed");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ToolFailure("'" + shown + "' has no host name (non-ASCII names must be written in punycode)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ToolFailure("'" + shown + "' holds credentials; send them in an Authorization header instead");
        }
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null) {
            return headers;
        }
        if (!node.isObject()) {
            throw new ToolFailure("'headers' must be an object of header names to text values");
        }
        for (Map.Entry<String, JsonNode> header : node.properties()) {
            if (!header.getValue().isTextual()) {
                throw new ToolFailure("header '" + header.getKey() + "' must have a text value");
            }
            headers.put(header.getKey(), header.getValue().asText());
        }
        return headers;
    }

    private static boolean looksLikeJson(String body) {
        String text = body.strip();
        if (!(text.startsWith("{") || text.startsWith("["))) {
            return false;
        }
        try {
            Arguments.JSON.readTree(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One call's requests: they share one deadline, and a watchdog that aborts whatever is in flight when the
     * deadline passes or the run is cancelled.
     */
    private final class Exchange implements AutoCloseable {
        private final int seconds;
        private final long deadline;
        private final Thread watchdog;
        private final AutoCloseable onCancel;
        private volatile boolean timedOut;
        private volatile boolean cancelled;
        private volatile Runnable abort = () -> { };

        Exchange(int seconds, ToolContext context) {
            this.seconds = seconds;
            this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            this.watchdog = Thread.ofVirtual().name("http_request-deadline").start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(deadline - System.nanoTime()));
                    timedOut = true;
                    abort.run();
                } catch (InterruptedException finished) {
                    // the exchange ended in time
                }
            });
            this.onCancel = context.cancellation().onCancel(() -> {
                cancelled = true;
                abort.run();
            });
        }

        ToolOutcome run(URI first, String method, Map<String, String> headers, byte[] body) {
            URI uri = first;
            List<String> redirects = new ArrayList<>();
            for (int hop = 0; ; hop++) {
                check(uri);
                HttpResponse<InputStream> response = send(request(uri, method, headers, body));
                int status = response.statusCode();
                Optional<String> location = response.headers().firstValue("location");
                if (!isRedirect(status) || location.isEmpty()) {
                    return ToolOutcome.success(render(method, uri, response, redirects));
                }
                discard(response);
                if (hop == MAX_REDIRECTS) {
                    throw new ToolFailure("stopped after " + MAX_REDIRECTS + " redirects; the last one pointed to "
                            + location.get());
                }
                URI next;
                try {
                    next = uri.resolve(new URI(location.get().strip()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new ToolFailure("the server redirected to an invalid URL: " + location.get());
                }
                checkShape(next, next.toString());
                redirects.add(status + " → " + next);
                if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
                    method = "GET";
                    body = null;
                    headers.keySet().removeIf("content-type"::equalsIgnoreCase);
                }
                if (!AddressPolicy.normalizeHost(next.getHost()).equals(AddressPolicy.normalizeHost(uri.getHost()))) {
                    headers.keySet().removeIf(name -> CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
                }
                uri = next;
            }
        }

        /** Refuses a host the policy refuses, and a host any of whose addresses it refuses. */
        private void check(URI uri) {
            String host = AddressPolicy.normalizeHost(uri.getHost());
            policy.refuseHost(host).ifPresent(reason -> {
                throw new ToolFailure("refused " + uri + ": " + reason);
            });
            InetAddress[] addresses = resolve(host);
            for (InetAddress address : addresses) {
                policy.refuseAddress(host, address).ifPresent(reason -> {
                    throw new ToolFailure("refused " + uri + ": " + reason);
                });
            }
            // the client looks the name up again to connect; the JVM's address cache (30 s by default) answers
            // it with the addresses checked here, so a name cannot be switched to a private address in between
        }

        private InetAddress[] resolve(String host) {
            CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
                try {
                    return InetAddress.getAllByName(host);
                } catch (UnknownHostException e) {
                    throw new ToolFailure("host '" + host + "' was not found");
                }
            }, Thread::startVirtualThread);
            abort = () -> lookup.cancel(true);
            try {
                return lookup.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ToolFailure failure ? failure
                        : new ToolFailure("cannot look up '" + host + "': " + e.getCause());
            } catch (TimeoutException | CancellationException e) {
                throw stopped("looking up " + host);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolFailure("interrupted");
            }
        }

        private HttpRequest request(URI uri, String method, Map<String, String> headers, byte[] body) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, value) -> {
                try {
                    builder.header(name, value);
                } catch (IllegalArgumentException e) {
                    throw new ToolFailure("header '" + name + "' cannot be sent: " + e.getMessage());
                }
            });
            return builder.build();
        }

        private HttpResponse<InputStream> send(HttpRequest request) {
            CompletableFuture<HttpResponse<InputStream>> sending = client().sendAsync(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            abort = () -> sending.cancel(true);
            if (timedOut || cancelled) {
                sending.cancel(true);
            }
            try {
                return sending.get();
            } catch (CancellationException e) {
                throw stopped("waiting for " + request.uri().getHost());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (timedOut || cancelled || cause instanceof HttpTimeoutException) {
                    timedOut = timedOut || !cancelled;
                    throw stopped("waiting for " + request.uri().getHost());
                }
                throw new ToolFailure(describe(request.uri(), cause));
            } catch (InterruptedException e) {
                sending.cancel(true);
                Thread.currentThread().interrupt();
                throw new ToolFailure("interrupted");
            }
        }

        private String render(String method, URI uri, HttpResponse<InputStream> response, List<String> redirects) {
            StringBuilder out = new StringBuilder("HTTP ").append(response.statusCode()).append(" (")
                    .append(method).append(' ').append(uri).append(")\n");
            redirects.forEach(r -> out.append("redirected: ").append(r).append('\n'));
            for (String name : SHOWN_HEADERS) {
                response.headers().allValues(name).forEach(v -> out.append(name).append(": ").append(v).append('\n'));
            }
            out.append('\n');
            InputStream in = response.body();
            abort = () -> quietlyClose(in);
            byte[] bytes;
            try (in) {
                bytes = in.readNBytes(maxResponseBytes + 1);
            } catch (IOException e) {
                if (timedOut || cancelled) {
                    throw stopped("reading the body");
                }
                throw new ToolFailure("the connection failed while reading the body: " + e.getMessage());
            }
            // a stream closed by the watchdog ends early instead of failing
            if (timedOut || cancelled) {
                throw stopped("reading the body");
            }
            boolean truncated = bytes.length > maxResponseBytes;
            int length = Math.min(bytes.length, maxResponseBytes);
            String type = response.headers().firstValue("content-type").orElse("");
            if (length == 0) {
                return out.append("(empty body)\n").toString();
            }
            if (isBinary(type, bytes, length)) {
                return out.append("[binary body: ").append(truncated ? "more than " + maxResponseBytes : length)
                        .append(" bytes").append(type.isEmpty() ? "" : " of " + type).append(", not shown]\n")
                        .toString();
            }
            out.append(new String(bytes, 0, length, charset(type)));
            if (truncated) {
                out.append("\n[body truncated: showing the first ").append(maxResponseBytes)
                        .append(" bytes; the response is longer]\n");
            }
            return out.toString();
        }

        private void discard(HttpResponse<InputStream> response) {
            quietlyClose(response.body());
        }

        private ToolFailure stopped(String during) {
            return cancelled ? new ToolFailure("cancelled while " + during)
                    : new ToolFailure("timed out after " + seconds + " s while " + during);
        }

        @Override
        public void close() {
            watchdog.interrupt();
            try {
                onCancel.close();
            } catch (Exception e) {
                // unregistering a cancel action cannot fail in a way that matters here
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String describe(URI uri, Throwable cause) {
        String host = uri.getHost();
        if (cause instanceof ConnectException) {
            return "could not connect to " + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        if (cause instanceof SSLException) {
            return "the TLS connection to " + host + " failed: " + cause.getMessage();
        }
        return "the request to " + host + " failed: " + (cause.getMessage() == null ? cause.toString()
                : cause.getMessage());
    }

    private static boolean isBinary(String contentType, byte[] bytes, int length) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.contains("x-www-form-urlencoded") || type.contains("yaml") || type.contains("csv")) {
            return false;
        }
        if (type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/")
                || type.startsWith("font/") || type.contains("octet-stream") || type.contains("pdf")
                || type.contains("zip")) {
            return true;
        }
        return TextFiles.looksBinary(bytes, length);
    }

    private static Charset charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").strip());
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static void quietlyClose(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // aborting: the stream is being given up anyway
        }
    }
}
