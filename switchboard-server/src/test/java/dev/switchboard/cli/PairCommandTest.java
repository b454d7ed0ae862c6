package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.operator.PairingTest;
import dev.switchboard.server.Switchboard;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.testkit.TestSecrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code switchboard pair} through the command line's entry point. */
class PairCommandTest {

    private static final Pattern TOKEN = Pattern.compile("Token: +(sbp_\\S+)");

    @TempDir
    Path home;

    @Test
    void pairMintsATokenTheRunningServerAcceptsAndPrintsItAsAQrCodeAndADeepLink() throws Exception {
        Map<String, String> env = Map.of("SWITCHBOARD_API_KEY", "pair-test-operator-key-0123");
        TestSecrets.register(env.get("SWITCHBOARD_API_KEY"));
        try (Switchboard server = Switchboard.start(new Home(home), ServerConfig.defaults().withPort(0), env,
                new PrintStream(new ByteArrayOutputStream()))) {
            Result result = run(env, "pair", "--home", home.toString(), "--url", server.baseUrl());
            assertThat(result.err()).isEmpty();
            assertThat(result.exit()).isZero();
            Matcher matcher = TOKEN.matcher(result.out());
            assertThat(matcher.find()).as(result.out()).isTrue();
            String token = TestSecrets.register(matcher.group(1));
            String link = "dotagents://config?baseUrl=" + java.net.URLEncoder.encode(server.baseUrl() + "/v1",
                    StandardCharsets.UTF_8) + "&apiKey=" + token;
            assertThat(result.out()).contains("  " + link).contains("Base URL: " + server.baseUrl() + "/v1")
                    .doesNotContain(env.get("SWITCHBOARD_API_KEY"));
            List<String> qr = result.out().lines().filter(l -> !l.isEmpty() && l.matches("[ ▀▄█]+")).toList();
            assertThat(PairingTest.decode(qr, false)).isEqualTo(link);

            // the server, running all along, accepts the token at once; the operator's key is untouched
            try (HttpClient http = HttpClient.newHttpClient()) {
                for (String credential : List.of(token, env.get("SWITCHBOARD_API_KEY"))) {
                    HttpResponse<String> sessions = http.send(HttpRequest.newBuilder(
                                    URI.create(server.baseUrl() + "/api/sessions"))
                            .header("Authorization", "Bearer " + credential).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(sessions.statusCode()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void envKeyPairsWithTheEnvironmentsKeyAndLightDrawsDarkModules() throws Exception {
        String key = TestSecrets.register("pair-test-env-key-4567");
        Result result = run(Map.of("SWITCHBOARD_API_KEY", key), "pair", "--home", home.toString(),
                "--url", "https://switchboard.example.com", "--env-key", "--light");
        assertThat(result.exit()).as(result.err()).isZero();
        String link = "dotagents://config?baseUrl=https%3A%2F%2Fswitchboard.example.com%2Fv1&apiKey=" + key;
        assertThat(result.out()).contains(link);
        List<String> qr = result.out().lines().filter(l -> !l.isEmpty() && l.matches("[ ▀▄█]+")).toList();
        assertThat(PairingTest.decode(qr, true)).isEqualTo(link);
        assertThat(Files.exists(home.resolve("data"))).as("no database was opened").isFalse();
    }

    @Test
    void mistakesAreExplainedWithExitCode2() {
        Result noKey = run(Map.of(), "pair", "--home", home.toString(), "--env-key");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("SWITCHBOARD_API_KEY");
        Result badUrl = run(Map.of(), "pair", "--home", home.toString(), "--url", "ftp://nowhere");
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url");
        assertThat(Files.exists(home.resolve("data"))).as("no token was minted").isFalse();
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == PairCommand.class ? type.cast(new PairCommand(env, outStream, errStream))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        int exit = new CommandLine(new Main(), factory).execute(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
