package dev.switchboard.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.failure.UpstreamException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An OpenAI-compatible audio endpoint: {@code /audio/transcriptions} (multipart upload) and {@code /audio/speech}
 * (JSON in, audio out), as OpenAI, Groq, LocalAI or a speaches server answer them.
 */
public final class OpenAiAudio implements Transcriber, Synthesizer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String baseUrl;
    private final String model;
    private final String defaultVoice;
    private final Supplier<String> apiKey;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param baseUrl the API root without a trailing slash, such as {@code https://api.openai.com/v1}
     * @param apiKey the key, read at each call so that a rotated vault entry applies at once; never logged
     * @param defaultVoice the voice of speech requests that name none
     */
    public OpenAiAudio(String baseUrl, String model, String defaultVoice, Supplier<String> apiKey) {
        this.baseUrl = baseUrl;
        this.model = model;
        this.defaultVoice = defaultVoice;
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return "openai-compatible:" + model;
    }

    @Override
    public Transcript transcribe(Audio audio, String fileName, String language) {
        String boundary = "switchboard-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(audio.data().length + 1024);
        field(body, boundary, "model", model);
        // verbose_json carries the language and duration, but only Whisper models offer it
        field(body, boundary, "response_format", model.startsWith("whisper") ? "verbose_json" : "json");
        if (language != null) {
            field(body, boundary, "language", language);
        }
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + audio.mimeType() + "\r\n\r\n");
        body.writeBytes(audio.data());
        write(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/audio/transcriptions")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<byte[]> response = send(request, "transcription");
        try {
            JsonNode json = JSON.readTree(response.body());
            if (!json.path("text").isTextual()) {
                throw new UpstreamException("The transcription endpoint answered without a text",
                        Map.of("endpoint", baseUrl + "/audio/transcriptions"));
            }
            String heard = json.path("language").isTextual() ? json.path("language").asText() : language;
            Double duration = json.path("duration").isNumber() ? json.path("duration").asDouble() : null;
            return new Transcript(json.path("text").asText().strip(), heard, duration);
        } catch (IOException e) {
            throw new UpstreamException("The transcription endpoint answered no JSON",
                    Map.of("endpoint", baseUrl + "/audio/transcriptions"));
        }
    }

    @Override
    public Audio speak(String text, String voice, double speed) {
        Map<String, Object> payload = Map.of("model", model, "input", text, "voice",
                voice == null ? defaultVoice : voice, "response_format", "mp3", "speed", speed);
        HttpRequest request;
        try {
            request = authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/audio/speech")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(payload))).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<byte[]> response = send(request, "speech");
        if (response.body().length == 0) {
            throw new UpstreamException("The speech endpoint answered no audio",
                    Map.of("endpoint", baseUrl + "/audio/speech"));
        }
        String type = response.headers().firstValue("content-type").map(t -> t.split(";")[0].strip())
                .filter(t -> t.startsWith("audio/")).orElse("audio/mpeg");
        return new Audio(response.body(), type);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        String key = apiKey == null ? null : apiKey.get();
        builder.timeout(TIMEOUT);
        return key == null || key.isEmpty() ? builder : builder.header("Authorization", "Bearer " + key);
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UpstreamException("The " + what + " endpoint could not be reached: " + e.getClass()
                    .getSimpleName(), Map.of("endpoint", request.uri().toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("Interrupted while calling the " + what + " endpoint",
                    Map.of("endpoint", request.uri().toString()));
        }
        if (response.statusCode() / 100 != 2) {
            // the provider's own message says what was wrong (a bad key, an unknown voice); it never holds the key
            String message = "";
            try {
                message = JSON.readTree(response.body()).path("error").path("message").asText("");
            } catch (IOException notJson) {
                // the status alone then
            }
            throw new UpstreamException("The " + what + " endpoint answered HTTP " + response.statusCode()
                    + (message.isEmpty() ? "" : ": " + message),
                    Map.of("endpoint", request.uri().toString(), "status", response.statusCode()));
        }
        return response;
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) {
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static void write(ByteArrayOutputStream body, String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
