package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Home;
import dev.switchboard.testkit.TestSecrets;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.openai.OpenAiErrors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTest {

    @TempDir
    Path home;

    @Test
    void everyProtectedRouteAnswers401WithoutTheKey() throws java.io.IOException {
        // three unauthenticated requests a route outgrow the default per-address limit: this test is about 401s
        java.nio.file.Files.writeString(home.resolve("switchboard.yml"), "rateLimits: {perIpPerMinute: 0}\n");
        try (TestServer server = TestServer.start(home)) {
            int checked = 0;
            for (Routes.Route route : server.switchboard().routes()) {
                if (route.access() == Routes.Access.PUBLIC) {
                    continue;
                }
                String path = route.path().replaceAll("\\{[^}]+}", "some-id");
                for (String auth : new String[] {null, "Bearer wrong-key", "Basic dXNlcjpwYXNz"}) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                            .method(route.method().toUpperCase(), HttpRequest.BodyPublishers.ofString("{}"));
                    if (auth != null) {
                        request.header("Authorization", auth);
                    }
                    TestServer.Reply reply = server.send(request);
                    assertThat(reply.status()).as(route + " with " + auth).isEqualTo(401);
                    // the OpenAI-compatible routes answer in OpenAI's error shape, which its clients read
                    assertThat(reply.json().path("error").path("code").asText()).isEqualTo(
                            OpenAiErrors.covers(path) ? "invalid_api_key" : "unauthorized");
                    assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).isPresent();
                }
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void healthIsOpenAndTheKeyAlsoWorksAsXApiKey() {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply health = server.send(HttpRequest.newBuilder(URI.create(server.url("/health"))));
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("ok");
            TestServer.Reply sessions = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/sessions")))
                    .header("X-API-Key", TestServer.KEY));
            assertThat(sessions.status()).isEqualTo(200);
        }
    }

    @Test
    void aGeneratedKeyIsPrintedOnceAndOnlyItsHashIsStored() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Home h = new Home(home);
        String key;
        try (Switchboard server = Switchboard.start(h, ServerConfig.defaults().withPort(0), Map.of(),
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            String printed = console.toString(StandardCharsets.UTF_8);
            key = TestSecrets.register(printed.lines().map(String::strip).filter(l -> l.startsWith("sb_")).findFirst()
                    .orElseThrow());
            String stored = Files.readString(h.apiKeyHashFile());
            assertThat(stored).doesNotContain(key).matches("[0-9a-f]{64}\\s*");
            assertThat(ApiKey.load(h.apiKeyHashFile(), Map.of()).matches(key)).isTrue();
            assertThat(ApiKey.load(h.apiKeyHashFile(), Map.of()).matches(key + "x")).isFalse();
        }
        console.reset();
        try (Switchboard again = Switchboard.start(h, ServerConfig.defaults().withPort(0), Map.of(),
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(key).doesNotContain("sb_");
        }
    }

    @Test
    void bindingBeyondLoopbackWithAKeyNobodySawIsRefused() {
        Home h = new Home(home);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Switchboard.start(h,
                        ServerConfig.defaults().withHost("0.0.0.0").withPort(0), Map.of(),
                        new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SWITCHBOARD_API_KEY");
    }

    @Test
    void theServerBindsLoopbackByDefault() {
        assertThat(ServerConfig.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(ServerConfig.defaults().port()).isEqualTo(3210);
    }
}
