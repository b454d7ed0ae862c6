package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the API reference page in a real headless Chromium and checks what it rendered. Needs Chromium
 * ({@code /usr/bin/chromium}); CI installs it and sets {@code SWITCHBOARD_REQUIRE_BROWSER} so that a missing
 * browser fails there instead of skipping.
 */
class DocsPageBrowserTest {

    @TempDir
    Path home;

    @TempDir
    Path profile;

    @Test
    void theDocsPageRendersEveryOperationOfTheDocument() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        boolean required = System.getenv("SWITCHBOARD_REQUIRE_BROWSER") != null;
        if (!required) {
            assumeTrue(Files.isExecutable(chromium), "Chromium is not installed");
        }
        try (TestServer server = TestServer.start(home)) {
            Process browser = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--virtual-time-budget=5000", "--dump-dom", server.url("/docs")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] dom = browser.getInputStream().readAllBytes();
            assertThat(browser.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String html = new String(dom, StandardCharsets.UTF_8);

            // the script fetched /openapi.json and rendered one entry per operation
            int operations = 0;
            var paths = TestServer.JSON.readTree(server.get("/openapi.json").body()).path("paths");
            for (var path : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                    paths::fields) {
                operations += path.getValue().size();
                assertThat(html).contains(">" + path.getKey() + "<");
            }
            // the script itself holds the template once, so count the rendered elements
            assertThat(html.split("<details class=\"operation\">", -1).length - 2).isEqualTo(operations);
            assertThat(html).contains("Switchboard API 0.1.0").doesNotContain("id=\"operations\">Could not load");
        }
    }
}
