package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.face.api.Routes;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiDocumentTest {

    @TempDir
    Path home;

    @Test
    void theDocumentNamesExactlyTheRegisteredRoutes() {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply reply = server.get("/openapi.json");
            assertThat(reply.status()).isEqualTo(200);
            JsonNode doc = reply.json();
            assertThat(doc.path("openapi").asText()).startsWith("3.1");

            Set<String> documented = new TreeSet<>();
            doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method + " " + path.getKey())));
            Set<String> registered = new TreeSet<>();
            for (Routes.Route route : server.switchboard().routes()) {
                registered.add(route.method() + " " + route.path());
            }
            assertThat(documented).as("documented but not served").isSubsetOf(registered);
            assertThat(registered).as("served but not documented").isSubsetOf(documented);
        }
    }

    @Test
    void theDocsPageIsServed() {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply page = server.get("/docs");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("/openapi.json").contains("<script>");
        }
    }
}
