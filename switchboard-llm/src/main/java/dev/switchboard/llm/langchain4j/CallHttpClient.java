package dev.switchboard.llm.langchain4j;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * LangChain4j's HTTP client SPI for one provider call, over a shared JDK client, that can be closed from
 * another thread at any moment: before the response headers, or while the body streams.
 *
 * <p>It also remembers how the call failed (status, body, {@code Retry-After}), which LangChain4j's own
 * exceptions lose, so the caller can decide about retries.
 */
final class CallHttpClient implements HttpClient {

    /** How an HTTP exchange failed: a status and body, or {@code status == 0} when no response came. */
    record Failure(int status, String body, Duration retryAfter, Throwable cause) {
    }

    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final java.net.http.HttpClient jdk;
    private final Runnable onStreamEnd;

    private volatile boolean closed;
    private volatile CompletableFuture<HttpResponse<InputStream>> inFlight;
    private volatile InputStream body;
    private volatile Failure failure;

    /**
     * @param onStreamEnd runs on the reading thread after a stream ended without a transport error, so a
     *     response that never reached its final event can be told apart from one still coming
     */
    CallHttpClient(java.net.http.HttpClient jdk, Runnable onStreamEnd) {
        this.jdk = jdk;
        this.onStreamEnd = onStreamEnd;
    }

    /** A builder that hands LangChain4j this very client; timeouts are the caller's business. */
    HttpClientBuilder asBuilder() {
        CallHttpClient self = this;
        return new HttpClientBuilder() {
            private Duration connectTimeout;
            private Duration readTimeout;

            @Override
            public Duration connectTimeout() {
                return connectTimeout;
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                connectTimeout = timeout;
                return this;
            }

            @Override
            public Duration readTimeout() {
                return readTimeout;
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                readTimeout = timeout;
                return this;
            }

            @Override
            public HttpClient build() {
                return self;
            }
        };
    }

    /** Closes the connection, whether the request is still waiting for headers or its body is streaming. */
    void close() {
        closed = true;
        CompletableFuture<HttpResponse<InputStream>> future = inFlight;
        if (future != null) {
            // Since JDK 16, cancelling the future of sendAsync aborts the exchange and its connection.
            future.cancel(true);
        }
        closeBody();
    }

    /** How the exchange failed, or null when it did not fail at the HTTP level. */
    Failure failure() {
        return failure;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpResponse<InputStream> response = send(request);
        try (InputStream in = response.body()) {
            byte[] bytes = in.readAllBytes();
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .body(bytes)
                    .build();
        } catch (IOException e) {
            throw fail(new Failure(0, null, null, e), e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Thread.ofVirtual().name("llm-stream").start(() -> stream(request, parser, listener));
    }

    private void stream(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        HttpResponse<InputStream> response;
        try {
            response = send(request);
        } catch (RuntimeException e) {
            listener.onError(e);
            return;
        }
        listener.onOpen(SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .build());
        TransportErrors errors = new TransportErrors(listener);
        parser.parse(response.body(), errors);
        closeBody();
        if (errors.failed || closed) {
            return;
        }
        listener.onClose();
        onStreamEnd.run();
    }

    /** Sends the request and returns a 2xx response whose body is still to be read. */
    private HttpResponse<InputStream> send(HttpRequest request) {
        if (closed) {
            throw new CancellationException("the call was closed");
        }
        CompletableFuture<HttpResponse<InputStream>> future =
                jdk.sendAsync(toJdk(request), BodyHandlers.ofInputStream());
        inFlight = future;
        if (closed) {
            future.cancel(true);
        }
        HttpResponse<InputStream> response;
        try {
            response = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CancellationException("interrupted");
        } catch (CancellationException e) {
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw fail(new Failure(0, null, null, cause), cause);
        }
        body = response.body();
        if (closed) {
            closeBody();
            throw new CancellationException("the call was closed");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String text = readErrorBody(response.body());
            Duration retryAfter = RetryPolicy.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null));
            HttpException exception = new HttpException(status, text);
            throw fail(new Failure(status, text, retryAfter, exception), exception);
        }
        return response;
    }

    private RuntimeException fail(Failure f, Throwable cause) {
        failure = f;
        return cause instanceof RuntimeException runtime ? runtime : new RuntimeException(cause);
    }

    private static String readErrorBody(InputStream in) {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void closeBody() {
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is best effort; the connection is abandoned either way
            }
        }
    }

    private static java.net.http.HttpRequest toJdk(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("multipart requests are not used by chat models");
        }
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        builder.method(request.method().name(), request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        return builder.build();
    }

    /** Notes whether the parser met a transport error, so a broken stream is not reported as complete. */
    private final class TransportErrors implements ServerSentEventListener {

        private final ServerSentEventListener delegate;
        private volatile boolean failed;

        TransportErrors(ServerSentEventListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            if (!closed) {
                delegate.onEvent(event, context);
            }
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            if (!closed) {
                delegate.onEvent(event);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            failed = true;
            if (!closed) {
                failure = new Failure(0, null, null, throwable);
                delegate.onError(throwable);
            }
        }
    }
}
