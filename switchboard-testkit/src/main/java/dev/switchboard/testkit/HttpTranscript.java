package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A file of every HTTP response the tests receive through a {@link #recording recording client}: status, headers
 * and body, so that a scan at the end of the run can look for secrets in them. Each body is kept up to
 * {@link #MAX_BODY_BYTES}; a longer one is cut and marked. Streams are written when they end, or by {@link #flush}
 * while still open. The file is started afresh by the first response of each test JVM.
 */
public final class HttpTranscript {

    /** The longest body kept per response. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private static final Path FILE = Path.of(System.getProperty("switchboard.test.transcript",
            "target/test-transcripts/http-responses.txt"));
    private static final AtomicLong IDS = new AtomicLong();
    private static final Set<Entry> OPEN = ConcurrentHashMap.newKeySet();
    private static boolean started;

    private HttpTranscript() {
    }

    /** Where the transcript is written. */
    public static Path file() {
        return FILE;
    }

    /** A client that sends through {@code client} and writes every response it receives to the transcript. */
    public static HttpClient recording(HttpClient client) {
        return new RecordingClient(client);
    }

    /** Writes what the still-open responses (streams) received so far, so a scan sees it now. */
    public static void flush() {
        for (Entry entry : OPEN) {
            entry.write(" (still open)", false);
        }
    }

    private static synchronized void append(String text) {
        try {
            if (!started) {
                Files.createDirectories(FILE.toAbsolutePath().getParent());
                Files.writeString(FILE, "# responses received by the tests of process " + ProcessHandle.current().pid()
                        + "\n", StandardCharsets.UTF_8);
                started = true;
            }
            Files.writeString(FILE, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the HTTP transcript " + FILE, e);
        }
    }

    /** One response: its head at once, its body as it arrives. */
    private static final class Entry {
        private final String head;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private long dropped;
        private boolean written;

        Entry(String method, String path, int status, HttpHeaders headers) {
            StringBuilder text = new StringBuilder("=== #" + IDS.incrementAndGet() + " " + method + " " + path
                    + " -> " + status + "\n");
            headers.map().forEach((name, values) -> values.forEach(v -> text.append(name).append(": ").append(v)
                    .append('\n')));
            this.head = text.toString();
        }

        synchronized void received(ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            int room = (int) Math.max(0, MAX_BODY_BYTES - body.size());
            int keep = Math.min(room, copy.remaining());
            byte[] bytes = new byte[keep];
            copy.get(bytes);
            body.write(bytes, 0, keep);
            dropped += copy.remaining();
        }

        /** Writes the response as received so far; a stream flushed while open is written again when it ends. */
        synchronized void write(String state, boolean ended) {
            if (written) {
                return;
            }
            append(head + "\n" + body.toString(StandardCharsets.UTF_8)
                    + (dropped > 0 ? "\n[... " + dropped + " more bytes not kept]" : "")
                    + "\n=== end" + state + "\n");
            if (ended) {
                written = true;
                OPEN.remove(this);
            }
        }
    }

    /** Passes the body on to the test's own subscriber while copying it into the entry. */
    private record Tee<T>(HttpResponse.BodySubscriber<T> inner, Entry entry) implements HttpResponse.BodySubscriber<T> {

        @Override
        public CompletionStage<T> getBody() {
            return inner.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            items.forEach(entry::received);
            inner.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            entry.write(" (failed)", true);
            inner.onError(throwable);
        }

        @Override
        public void onComplete() {
            entry.write("", true);
            inner.onComplete();
        }
    }

    private static <T> HttpResponse.BodyHandler<T> tee(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return info -> {
            Entry entry = new Entry(request.method(), request.uri().getRawPath(), info.statusCode(), info.headers());
            OPEN.add(entry);
            return new Tee<>(handler.apply(info), entry);
        };
    }

    /** An {@link HttpClient} that hands every call to another and records the responses. */
    private static final class RecordingClient extends HttpClient {
        private final HttpClient client;

        RecordingClient(HttpClient client) {
            this.client = client;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return client.send(request, tee(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            return client.sendAsync(request, tee(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushes) {
            return client.sendAsync(request, tee(request, handler), pushes);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return client.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return client.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return client.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return client.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return client.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return client.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return client.authenticator();
        }

        @Override
        public Version version() {
            return client.version();
        }

        @Override
        public Optional<Executor> executor() {
            return client.executor();
        }

        @Override
        public void shutdown() {
            client.shutdown();
        }

        @Override
        public void shutdownNow() {
            client.shutdownNow();
        }

        @Override
        public boolean awaitTermination(Duration duration) throws InterruptedException {
            return client.awaitTermination(duration);
        }

        @Override
        public boolean isTerminated() {
            return client.isTerminated();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
