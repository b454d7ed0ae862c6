package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.testkit.HttpTranscript;
import dev.switchboard.testkit.TestSecrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defences in front of every route, seen through real HTTP: rate limits, CORS, security headers, body limits. */
class DefencesTest {

    @TempDir
    Path home;

    private TestServer start(String config) {
        try {
            Files.writeString(home.resolve("switchboard.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestServer.start(home);
    }

    // --- rate limits ---

    @Test
    void aClientBeyondItsRateGets429WithRetryAfterAndRecovers() throws Exception {
        try (TestServer server = start("rateLimits: {perIpPerMinute: 60, perCredentialPerMinute: 0}\n")) {
            for (int i = 0; i < 60; i++) {
                assertThat(server.get("/api/sessions").status()).as("request %d", i + 1).isEqualTo(200);
            }
            TestServer.Reply limited = server.get("/api/sessions");

            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().path("error").path("code").asText()).isEqualTo("rate_limited");
            long retryAfter = Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 2L);
            assertThat(limited.json().path("error").path("details").path("retryAfterSeconds").asLong())
                    .isEqualTo(retryAfter);
            assertSecurityHeaders(limited.raw().headers());
            // public routes count too: the limit is per address, in front of every route
            assertThat(server.as(null).get("/health").status()).isEqualTo(429);

            Thread.sleep(retryAfter * 1000);
            assertThat(server.get("/api/sessions").status()).isEqualTo(200);
        }
    }

    @Test
    void anotherCredentialKeepsItsOwnAllowance() {
        try (TestServer server = start("rateLimits: {perIpPerMinute: 0, perCredentialPerMinute: 8}\n")) {
            server.createUser("carol", "carol-password-1", "user");
            String token = server.login("carol", "carol-password-1");
            while (server.get("/api/sessions").status() == 200) {
                // the operator's key uses up its allowance
            }
            TestServer.Reply limited = server.get("/api/sessions");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().path("error").path("message").asText()).contains("credential");

            assertThat(server.as(token).get("/api/sessions").status()).isEqualTo(200);
            // a wrong key is counted on its own as well, and then refused for what it is
            assertThat(server.as("not-the-key-at-all").get("/api/sessions").status()).isEqualTo(401);
        }
    }

    @Test
    void anotherAddressKeepsItsOwnAllowance() throws Exception {
        try (TestServer server = start("rateLimits: {perIpPerMinute: 5, perCredentialPerMinute: 0}\n")) {
            // a client that claims other addresses in X-Forwarded-For is still counted by its socket
            for (int i = 0; i < 5; i++) {
                assertThat(server.send(server.request("/api/sessions")
                        .header("X-Forwarded-For", "10.0.0." + i).GET()).status()).isEqualTo(200);
            }
            assertThat(server.send(server.request("/api/sessions").header("X-Forwarded-For", "10.0.0.99").GET())
                    .status()).isEqualTo(429);

            // a real second address: loopback 127.0.0.2 reaches the server on 127.0.0.1
            HttpClient other = HttpTranscript.recording(HttpClient.newBuilder()
                    .localAddress(InetAddress.getByName("127.0.0.2")).build());
            HttpResponse<String> fromOther = other.send(server.request("/api/sessions").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fromOther.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void behindATrustedProxyTheLastForwardedAddressIsTheClient() {
        try (TestServer server = start("rateLimits: {perIpPerMinute: 3, perCredentialPerMinute: 0, "
                + "trustForwardedFor: true}\n")) {
            for (int i = 0; i < 3; i++) {
                // the first entry is whatever the client claimed; the proxy appended the last one
                assertThat(forwardedFor(server, "6.6.6." + i + ", 10.0.0.1").status()).isEqualTo(200);
            }
            assertThat(forwardedFor(server, "10.0.0.1").status()).isEqualTo(429);
            assertThat(forwardedFor(server, "10.0.0.2").status()).isEqualTo(200);
        }
    }

    private static TestServer.Reply forwardedFor(TestServer server, String header) {
        return server.send(server.request("/api/sessions").header("X-Forwarded-For", header).GET());
    }

    @Test
    void wrongPasswordsLockTheAccountAndTheLockoutIsAudited() {
        try (TestServer server = start("rateLimits: {loginPerIpPerMinute: 100}\n")) {
            server.createUser("dave", "dave-password-1", "user");
            for (int i = 0; i < 5; i++) {
                assertThat(server.as(null).post("/api/auth/login",
                        Map.of("username", "dave", "password", "wrong-password-" + i)).status()).isEqualTo(401);
            }
            TestServer.Reply locked = server.as(null).post("/api/auth/login",
                    Map.of("username", "dave", "password", "dave-password-1"));

            assertThat(locked.status()).isEqualTo(429);
            assertThat(Long.parseLong(locked.raw().headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(890L, 900L);
            assertThat(server.get("/api/admin/audit?type=auth.lockout").json().path("events"))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.path("details").path("username").asText()).isEqualTo("dave");
                        assertThat(event.path("ip").asText()).isEqualTo("127.0.0.1");
                    });
        }
    }

    @Test
    void signInAttemptsFromOneAddressAreLimited() {
        try (TestServer server = start("")) {
            for (int i = 0; i < 10; i++) {
                assertThat(server.as(null).post("/api/auth/login",
                        Map.of("username", "nobody" + i, "password", "wrong-password")).status()).isEqualTo(401);
            }
            TestServer.Reply limited = server.as(null).post("/api/auth/login",
                    Map.of("username", "someone-else", "password", "wrong-password"));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        }
    }

    // --- CORS ---

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutCredentials() {
        try (TestServer server = start("http: {cors: {allowedOrigins: ['https://app.example.com']}}\n")) {
            TestServer.Reply preflight = server.send(preflight(server, "/api/sessions", "https://app.example.com")
                    .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key"));

            assertThat(preflight.status()).isEqualTo(204);
            HttpHeaders headers = preflight.raw().headers();
            assertThat(headers.firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
            assertThat(headers.firstValue("Vary").orElseThrow()).contains("Origin");
            assertThat(headers.firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST", "DELETE");
            assertThat(headers.firstValue("Access-Control-Allow-Headers").orElseThrow())
                    .contains("Authorization", "Content-Type", "Idempotency-Key", "X-API-Key", "Last-Event-ID");
            assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("600");
            assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
            assertSecurityHeaders(headers);
        }
    }

    @Test
    void anAllowedOriginGetsCorsHeadersAndAnyOtherNone() {
        try (TestServer server = start("http: {cors: {allowedOrigins: ['https://app.example.com:443']}}\n")) {
            TestServer.Reply allowed = server.send(server.request("/api/sessions")
                    .header("Origin", "https://app.example.com").GET());
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.raw().headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://app.example.com");
            assertThat(allowed.raw().headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                    .contains("Retry-After");

            TestServer.Reply foreign = server.send(server.request("/api/sessions")
                    .header("Origin", "https://evil.example").GET());
            assertThat(foreign.status()).isEqualTo(200);
            assertThat(corsHeaders(foreign.raw().headers())).isEmpty();

            TestServer.Reply foreignPreflight = server.send(preflight(server, "/api/sessions", "https://evil.example"));
            assertThat(foreignPreflight.status()).isEqualTo(403);
            assertThat(corsHeaders(foreignPreflight.raw().headers())).isEmpty();
        }
    }

    @Test
    void byDefaultNoOriginIsAllowed() {
        try (TestServer server = start("")) {
            TestServer.Reply reply = server.send(server.request("/api/sessions")
                    .header("Origin", "http://localhost:5173").GET());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(corsHeaders(reply.raw().headers())).isEmpty();

            TestServer.Reply preflight = server.send(preflight(server, "/api/auth/login", "http://localhost:5173"));
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(corsHeaders(preflight.raw().headers())).isEmpty();
        }
    }

    @Test
    void aWildcardOriginIsRefusedAtStartUp() throws Exception {
        Path file = home.resolve("switchboard.yml");
        Files.writeString(file, "http:\n  cors:\n    allowedOrigins: ['*']\n");

        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.cors.allowedOrigins")
                .hasMessageContaining("'*' is refused");
    }

    /** A browser's preflight: no credentials, the page's origin and the method it wants to use. */
    private static HttpRequest.Builder preflight(TestServer server, String path, String origin) {
        return HttpRequest.newBuilder(URI.create(server.url(path)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST");
    }

    private static Map<String, List<String>> corsHeaders(HttpHeaders headers) {
        return headers.map().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase().startsWith("access-control-"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    // --- security headers ---

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        try (TestServer server = start("")) {
            assertSecurityHeaders(server.as(null).get("/health").raw().headers());
            TestServer.Reply missing = server.get("/api/no-such-thing");
            assertThat(missing.status()).isEqualTo(404);
            assertSecurityHeaders(missing.raw().headers());
            TestServer.Reply unauthorized = server.as(null).get("/api/sessions");
            assertThat(unauthorized.status()).isEqualTo(401);
            assertSecurityHeaders(unauthorized.raw().headers());
            TestServer.Reply invalid = server.post("/api/sessions", "{not json");
            assertThat(invalid.status()).isEqualTo(400);
            assertSecurityHeaders(invalid.raw().headers());
            TestServer.Reply signIn = server.as(null).post("/api/auth/login",
                    Map.of("username", "nobody", "password", "wrong-password"));
            assertThat(signIn.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(server.get("/api/sessions").raw().headers().firstValue("Strict-Transport-Security"))
                    .as("plain HTTP never pins HTTPS").isEmpty();
        }
    }

    @Test
    void anUnexpectedFailureCarriesTheSecurityHeadersToo() throws Exception {
        HttpServer http = HttpServer.start("127.0.0.1", 0, 1024, null,
                Defences.from(ServerConfig.defaults(), Clock.systemUTC()),
                routes -> routes.open().get("/boom", ctx -> {
                    throw new IllegalStateException("a bug");
                }));
        try {
            HttpResponse<String> response = HttpTranscript.recording(HttpClient.newHttpClient()).send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("internal_error").doesNotContain("a bug");
            assertSecurityHeaders(response.headers());
        } finally {
            http.close();
        }
    }

    @Test
    void theDocsPageMayRunOnlyItsOwnScriptAndStyle() throws Exception {
        try (TestServer server = start("")) {
            TestServer.Reply page = server.as(null).get("/docs");
            String policy = page.raw().headers().firstValue("Content-Security-Policy").orElseThrow();

            Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page.body());
            assertThat(script.find()).isTrue();
            String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
            assertThat(policy).contains("default-src 'none'", "script-src 'sha256-" + hash + "'",
                    "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(page.raw().headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
    }

    static void assertSecurityHeaders(HttpHeaders headers) {
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(headers.firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(headers.firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
        assertThat(headers.firstValue("Cache-Control")).hasValue("no-store");
    }

    // --- secrets ---

    @Test
    void theKeysOfAnMcpServerAreNeverEchoed() throws Exception {
        String password = TestSecrets.register("url-password-7d3f");
        String queryKey = TestSecrets.register("url-query-key-91ac");
        String header = TestSecrets.register("header-token-5be2");
        try (TestServer server = start("")) {
            // nothing listens on port 1: the server keeps trying, and says why, without the URL's secrets
            TestServer.Reply added = server.post("/api/mcp/servers", Map.of("name", "hosted", "config", Map.of(
                    "type", "http", "url", "http://me:" + password + "@127.0.0.1:1/mcp?api_key=" + queryKey
                            + "&region=$MCP_REGION", "headers", Map.of("Authorization", "Bearer " + header),
                    "connectionMode", "lenient")));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.json().path("server").path("config").path("url").asText())
                    .isEqualTo("http://****@127.0.0.1:1/mcp?api_key=****&region=$MCP_REGION");
            Thread.sleep(500);
            TestServer.Reply listed = server.get("/api/mcp/servers");

            for (TestServer.Reply reply : List.of(added, listed, server.get("/api/mcp/servers/hosted"))) {
                assertThat(reply.body()).contains("hosted").doesNotContain(password, queryKey, header);
            }
            TestServer.Reply malformed = server.post("/api/mcp/servers", Map.of("name", "broken", "config", Map.of(
                    "type", "http", "url", "http://127.0.0.1/mcp?api_key=" + queryKey + " with a space")));
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.body()).contains("not usable").doesNotContain(queryKey);
        }
    }

    // --- body size ---

    @Test
    void anOversizedBodyIs413JsonWithOrWithoutContentLength() {
        try (TestServer server = start("limits: {maxRequestBytes: 1024}\n")) {
            String big = "{\"id\":\"" + "x".repeat(4096) + "\"}";
            for (String path : List.of("/api/sessions", "/api/auth/login", "/mcp")) {
                TestServer.Reply sized = server.send(server.request(path)
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(big)));
                assertTooLarge(sized, path + " with Content-Length");

                // no Content-Length: the body arrives in chunks and is cut off once past the limit
                HttpRequest.BodyPublisher unsized = HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)));
                assertThat(unsized.contentLength()).as("sent chunked").isEqualTo(-1);
                TestServer.Reply chunked = server.send(server.request(path)
                        .header("Accept", "application/json, text/event-stream").POST(unsized));
                assertTooLarge(chunked, path + " chunked");
            }
            // a body within the limit still works
            assertThat(server.post("/api/sessions", Map.of("id", "small")).status()).isEqualTo(201);
        }
    }

    private static void assertTooLarge(TestServer.Reply reply, String what) {
        assertThat(reply.status()).as(what).isEqualTo(413);
        assertThat(reply.json().path("error").path("code").asText()).as(what).isEqualTo("payload_too_large");
        assertSecurityHeaders(reply.raw().headers());
    }
}
