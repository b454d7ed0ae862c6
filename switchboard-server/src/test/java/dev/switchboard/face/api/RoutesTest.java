package dev.switchboard.face.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RoutesTest {

    @Test
    void aLiteralPathWinsOverAParameterRegisteredBeforeIt() throws Exception {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            Routes routes = new Routes(config.routes);
            routes.post("/mcp/{acpSessionToken}", ctx -> ctx.result("token " + ctx.pathParam("acpSessionToken")))
                    .post("/mcp/{acpSessionToken}/tools/list", ctx -> ctx.result("token tools"))
                    .post("/mcp/servers", ctx -> ctx.result("servers"))
                    .post("/mcp/execute", ctx -> ctx.result("execute"))
                    .post("/mcp/tools/list", ctx -> ctx.result("tools"));
            routes.install();
        });
        app.start("127.0.0.1", 0);
        try {
            assertThat(post(app, "/mcp/servers")).isEqualTo("servers");
            assertThat(post(app, "/mcp/execute")).isEqualTo("execute");
            assertThat(post(app, "/mcp/tools/list")).isEqualTo("tools");
            assertThat(post(app, "/mcp/abc")).isEqualTo("token abc");
            assertThat(post(app, "/mcp/abc/tools/list")).isEqualTo("token tools");
        } finally {
            app.stop();
        }
    }

    @Test
    void specificityRanksLiteralsBeforeParametersSegmentBySegment() {
        assertThat(Routes.specificity("/mcp/servers")).isLessThan(Routes.specificity("/mcp/{acpSessionToken}"));
        assertThat(Routes.specificity("/api/sessions/{id}/history"))
                .isLessThan(Routes.specificity("/api/{kind}/{id}/history"));
        assertThat(Routes.specificity("/files/{name}")).isLessThan(Routes.specificity("/files/<path>"));
    }

    private static String post(Javalin app, String path) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
