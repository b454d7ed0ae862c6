package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptApiTest {

    @TempDir
    Path home;

    private static Map<String, Object> summarize() {
        return Map.of(
                "name", "summarize",
                "title", "Summarize",
                "description", "Summarizes a text",
                "content", "Summarize {{text}} in {{ words }} words.",
                "arguments", List.of(Map.of("name", "text", "required", true),
                        Map.of("name", "words", "description", "how short")),
                "resource", Map.of("data", "data:text/plain;base64,"
                        + Base64.getEncoder().encodeToString("house style: be brief".getBytes(StandardCharsets.UTF_8)),
                        "filename", "style.txt"));
    }

    private static List<String> names(JsonNode prompts) {
        List<String> names = new java.util.ArrayList<>();
        prompts.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    @Test
    void aCustomPromptIsStoredListedResolvedWithItsAttachmentAndDeleted() {
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply created = server.post("/api/prompts/custom", summarize());
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode prompt = created.json().path("prompt");
            assertThat(prompt.path("source").asText()).isEqualTo("custom");
            String resourceUri = prompt.path("metadata").path("resourceUri").asText();
            assertThat(resourceUri).startsWith("blob:");

            assertThat(names(server.get("/api/prompts").json().path("prompts")))
                    .containsExactly("summarize");
            JsonNode definition = server.get("/api/prompts/summarize").json().path("definition");
            assertThat(definition.path("arguments").get(0).path("required").asBoolean()).isTrue();

            TestServer.Reply resolved = server.post("/api/prompts/summarize/resolve",
                    Map.of("args", Map.of("text", "the report", "words", 20), "context", "For the board."));
            assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
            assertThat(resolved.json().path("text").asText())
                    .isEqualTo("Summarize the report in 20 words.\n\nFor the board.");
            assertThat(resolved.json().path("resources").get(0).asText()).isEqualTo(resourceUri);
            TestServer.Reply asString = server.post("/api/prompts/summarize/resolve",
                    Map.of("args", "{\"text\":\"a memo\"}"));
            assertThat(asString.json().path("text").asText()).isEqualTo("Summarize a memo in  words.");

            JsonNode resources = server.get("/api/resources").json().path("resources");
            assertThat(resources.findValuesAsText("uri")).containsExactly(resourceUri);
            assertThat(resources.get(0).path("name").asText()).isEqualTo("style.txt");
            TestServer.Reply content = server.get("/api/resources/"
                    + URLEncoder.encode(resourceUri, StandardCharsets.UTF_8) + "/content");
            assertThat(content.json().path("content").path("contents").get(0).path("text").asText())
                    .isEqualTo("house style: be brief");

            assertThat(server.delete("/api/prompts/summarize").status()).isEqualTo(200);
            assertThat(server.get("/api/prompts/summarize").status()).isEqualTo(404);
            assertThat(server.get("/api/resources/" + URLEncoder.encode(resourceUri, StandardCharsets.UTF_8)
                    + "/content").status()).as("an attachment of a deleted prompt").isEqualTo(404);
        }
    }

    @Test
    void badPromptsAndArgumentsAreRefusedNamingTheField() {
        try (TestServer server = TestServer.start(home)) {
            assertThat(server.post("/api/prompts/custom", summarize()).status()).isEqualTo(201);
            assertThat(server.post("/api/prompts/custom", summarize()).status()).as("the name is taken").isEqualTo(409);

            assertThat(server.post("/api/prompts/custom", Map.of("name", "a:b", "content", "x")).errorField())
                    .isEqualTo("name");
            assertThat(server.post("/api/prompts/custom", Map.of("name", "empty", "content", " ")).errorField())
                    .isEqualTo("content");
            assertThat(server.post("/api/prompts/custom", Map.of("name", "typo", "content", "Hi {{nme}}",
                    "arguments", List.of(Map.of("name", "name")))).errorField()).isEqualTo("content");
            assertThat(server.post("/api/prompts/custom", Map.of("name", "twice", "content", "{{a}}",
                    "arguments", List.of(Map.of("name", "a"), Map.of("name", "a")))).errorField())
                    .isEqualTo("arguments[1].name");
            assertThat(server.post("/api/prompts/custom", Map.of("name", "bin", "content", "x",
                    "resource", Map.of("data", "not base64!", "mimeType", "text/plain"))).errorField())
                    .isEqualTo("resource.data");
            assertThat(server.post("/api/prompts/custom", Map.of("name", "nomime", "content", "x",
                    "resource", Map.of("data", "aGk="))).errorField()).isEqualTo("resource.mimeType");
            assertThat(server.post("/api/prompts/custom", Map.of("name", "extra", "content", "x", "color", "red"))
                    .errorField()).isEqualTo("color");

            assertThat(server.post("/api/prompts/summarize/resolve", Map.of("args", Map.of("words", 3)))
                    .errorField()).isEqualTo("args.text");
            assertThat(server.post("/api/prompts/summarize/resolve", Map.of("args", "[1]")).errorField())
                    .isEqualTo("args");
            assertThat(server.post("/api/prompts/summarize/resolve", Map.of("args", Map.of("text", List.of(1))))
                    .errorField()).isEqualTo("args.text");
            assertThat(server.post("/api/prompts/nope/resolve", Map.of()).status()).isEqualTo(404);
            assertThat(server.delete("/api/prompts/server:prompt").errorField()).isEqualTo("name");
            assertThat(server.get("/api/resources/" + URLEncoder.encode("blob:unknown", StandardCharsets.UTF_8)
                    + "/content").status()).isEqualTo(404);
            assertThat(server.get("/api/resources/whatever/content").errorField()).isEqualTo("resourceId");

            assertThat(names(server.get("/api/prompts").json().path("prompts")))
                    .as("nothing else was stored").containsExactly("summarize");
        }
    }
}
