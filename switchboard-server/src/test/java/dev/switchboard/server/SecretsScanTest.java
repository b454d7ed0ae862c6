package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.HttpTranscript;
import dev.switchboard.testkit.SecretScan;
import dev.switchboard.testkit.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs after every other test class of the module (see {@code junit-platform.properties}) and proves that no
 * configured test secret ({@link TestSecrets}) reached a log line or an HTTP response the tests received.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsScanTest {

    private static final Path LOG = Path.of(System.getProperty("switchboard.test.log",
            "target/test-logs/server-tests.log"));

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void theScanFindsAPlantedSecretAndNamesFileAndLine() throws Exception {
        String planted = "planted-secret-4711";
        Path file = dir.resolve("server.log");
        Files.writeString(file, "a clean line\nthe key is " + planted + " here\nanother clean line\n"
                + "{\"apiKey\":\"" + planted + "\"}\n");

        List<SecretScan.Finding> findings = SecretScan.scan(file, Set.of(planted, "not-there-either"));

        assertThat(findings).extracting(SecretScan.Finding::line).containsExactly(2, 4);
        assertThat(findings.getFirst().toString()).startsWith(file + ":2 ").doesNotContain(planted);
        assertThat(SecretScan.scan(dir.resolve("clean.log"), Set.of(planted))).isEmpty();
        Files.writeString(dir.resolve("clean.log"), "nothing to see\n");
        assertThat(SecretScan.scan(dir.resolve("clean.log"), Set.of(planted))).isEmpty();
    }

    @Test
    @Order(2)
    void theTestsLogLinesReachTheScannedFile() throws Exception {
        String marker = "log-probe-" + UUID.randomUUID();
        LoggerFactory.getLogger(SecretsScanTest.class).info("{}", marker);

        assertThat(Files.readString(LOG)).contains(marker);
    }

    @Test
    @Order(3)
    void theResponsesTheTestsReceiveReachTheTranscript(@TempDir Path home) throws Exception {
        String marker = "transcript-probe-" + UUID.randomUUID();
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.get("/" + marker).status()).isEqualTo(404);
        }

        assertThat(Files.readString(HttpTranscript.file()))
                .contains("# responses received by the tests of process " + ProcessHandle.current().pid())
                .contains("GET /" + marker + " -> 404")
                .contains("X-Content-Type-Options: nosniff".toLowerCase());
    }

    @Test
    @Order(4)
    void noTestSecretReachedALogLineOrAnHttpResponse() {
        assertThat(TestSecrets.all()).contains(TestServer.KEY, "test-llm-key");
        HttpTranscript.flush();

        List<SecretScan.Finding> findings = new ArrayList<>();
        findings.addAll(SecretScan.scan(LOG, TestSecrets.all()));
        findings.addAll(SecretScan.scan(HttpTranscript.file(), TestSecrets.all()));

        assertThat(findings).as("test secrets (%d of them) found in log lines or HTTP responses",
                TestSecrets.all().size()).isEmpty();
    }
}
