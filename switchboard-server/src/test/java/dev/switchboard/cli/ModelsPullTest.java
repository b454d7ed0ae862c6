package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.TinyGguf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard models pull} against a JDK HTTP server standing in for Hugging Face and plain URLs. */
class ModelsPullTest {

    @TempDir
    Path home;

    HttpServer hub;
    String base;
    final byte[] model = TinyGguf.standard().bytes();

    @BeforeEach
    void start() throws Exception {
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/files/tiny.gguf", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            exchange.getResponseBody().write(model);
            exchange.close();
        });
        hub.createContext("/files/junk.gguf", exchange -> {
            byte[] junk = "<html>not found</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, junk.length);
            exchange.getResponseBody().write(junk);
            exchange.close();
        });
        hub.createContext("/api/models/org/tiny-GGUF", exchange -> {
            byte[] info = """
                    {"id":"org/tiny-GGUF","siblings":[{"rfilename":"README.md"},{"rfilename":"tiny-Q8_0.gguf"},
                    {"rfilename":"tiny-Q4_K_M.gguf"}]}""".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, info.length);
            exchange.getResponseBody().write(info);
            exchange.close();
        });
        // the hub redirects a file to its CDN, as Hugging Face does
        hub.createContext("/org/tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf", exchange -> {
            exchange.getResponseHeaders().add("Location", "/files/tiny.gguf");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        hub.start();
        base = "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        hub.stop(0);
    }

    @Test
    void pullsAUrlIntoTheModelsFolder() throws Exception {
        allowLoopback();
        Result result = pull(base + "/files/tiny.gguf");
        assertThat(result.exit).as(result.err).isZero();
        assertThat(Files.readAllBytes(home.resolve("models/tiny.gguf"))).isEqualTo(model);
        assertThat(result.out).contains("Pulled tiny.gguf").contains("llama").contains("provider: local");
        assertThat(Files.list(home.resolve("models")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".part"));
        // a second pull of the same name needs --force
        assertThat(pull(base + "/files/tiny.gguf").err).contains("already holds tiny.gguf");
        assertThat(pull(base + "/files/tiny.gguf", "--force").exit).isZero();
    }

    @Test
    void pullsTheQ4FileOfAHuggingFaceRepository() throws Exception {
        allowLoopback();
        Result result = pull("org/tiny-GGUF");
        assertThat(result.exit).as(result.err).isZero();
        assertThat(Files.readAllBytes(home.resolve("models/tiny-Q4_K_M.gguf"))).isEqualTo(model);
        assertThat(Files.readString(home.resolve("models/tiny-Q4_K_M.gguf.source"))).contains("source=huggingface");
    }

    @Test
    void aDownloadThatIsNotGgufLeavesNothingBehind() throws Exception {
        allowLoopback();
        Result result = pull(base + "/files/junk.gguf");
        assertThat(result.exit).isEqualTo(1);
        assertThat(result.err).contains("not a valid GGUF model").contains("magic");
        try (var files = Files.list(home.resolve("models"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anUnreachableHostOrARefusedAddressIsAClearError() throws Exception {
        // the address policy refuses loopback unless the server's configuration allows it
        Result refused = pull(base + "/files/tiny.gguf");
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.err).contains("switchboard: ").contains("127.0.0.1");
        allowLoopback();
        hub.stop(0);
        Result down = pull(base + "/files/tiny.gguf");
        assertThat(down.exit).isEqualTo(1);
        assertThat(down.err).contains("cannot download from 127.0.0.1").contains("internet reachable");
        assertThat(pull("not a repo").err).contains("Hugging Face repository");
    }

    private void allowLoopback() throws Exception {
        Files.writeString(home.resolve("switchboard.yml"), """
                tools:
                  httpRequest:
                    allowPrivate: [127.0.0.1]
                """);
    }

    private record Result(int exit, String out, String err) {
    }

    private Result pull(String... args) {
        ModelsCommand.Pull pull = new ModelsCommand.Pull();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        pull.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        pull.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", base);
        pull.env = env;
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--home";
        full[args.length + 1] = home.toString();
        int exit = new picocli.CommandLine(pull).execute(full);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
