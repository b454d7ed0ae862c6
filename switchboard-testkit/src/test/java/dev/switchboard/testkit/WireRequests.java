package dev.switchboard.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the wire tests send to the fake: JSON posts through one HTTP/1.1 client, bounded by {@link #WAIT}. */
final class WireRequests {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();

    private WireRequests() {
    }

    static HttpRequest.Builder request(FakeLlmServer server, String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> post(FakeLlmServer server, String path, String body)
            throws IOException, InterruptedException {
        return CLIENT.send(request(server, path, body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
