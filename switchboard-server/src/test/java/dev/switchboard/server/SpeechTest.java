package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.TestSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speech (issue 9): transcription at seed 001's {@code /transcribe} and seed 002's {@code /api/voice/transcribe}
 * and text-to-speech at seed 000's {@code /v1/tts/speak}, against a fake OpenAI audio endpoint, and the local
 * espeak-ng engine when no speech endpoint is configured.
 */
class SpeechTest {

    private static final String AUDIO_KEY = TestSecrets.register("audio-key-7d2e4f");
    private static final byte[] MP3 = "ID3\u0004fake-mp3-audio-frames".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path home;

    private HttpServer fake;
    /** What the fake endpoint received: path, Authorization header, body. */
    private final List<Object[]> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFake() throws IOException {
        fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/v1/audio/transcriptions", exchange -> {
            byte[] body = record(exchange);
            String text = new String(body, StandardCharsets.ISO_8859_1);
            boolean hasFile = text.contains("name=\"file\"; filename=\"audio.wav\"") && text.contains("RIFF");
            answer(exchange, hasFile ? 200 : 400, "application/json", (hasFile
                    ? "{\"text\":\"Search for the latest AI news\",\"language\":\"english\",\"duration\":2.5}"
                    : "{\"error\":{\"message\":\"no file\"}}").getBytes(StandardCharsets.UTF_8));
        });
        fake.createContext("/v1/audio/speech", exchange -> {
            record(exchange);
            answer(exchange, 200, "audio/mpeg", MP3);
        });
        fake.start();
    }

    @AfterEach
    void stopFake() {
        fake.stop(0);
    }

    private byte[] record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Object[] {exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body,
                exchange.getRequestHeaders().getFirst("Content-Type")});
        return body;
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String fakeUrl() {
        return "http://127.0.0.1:" + fake.getAddress().getPort() + "/v1";
    }

    private TestServer start(String speechYaml) throws IOException {
        TestServer.homeWithAgent(home, "openai-compatible", "http://127.0.0.1:9/v1");
        Files.writeString(home.resolve("switchboard.yml"), speechYaml);
        return TestServer.start(home, Map.of("AUDIO_KEY", AUDIO_KEY));
    }

    /** A short WAV of silence: 16-bit mono at 8 kHz. */
    static byte[] wav(int samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        return b.array();
    }

    private static HttpRequest.BodyPublisher multipart(String boundary, String fileName, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nen\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
    }

    private static TestServer.Reply upload(TestServer server, String fileName, String type, byte[] data) {
        return server.send(server.request("/transcribe")
                .setHeader("Content-Type", "multipart/form-data; boundary=xyzBOUNDARYzyx")
                .POST(multipart("xyzBOUNDARYzyx", fileName, type, data)));
    }

    @Test
    void transcriptionGoesThroughTheConfiguredEndpointByUploadAndByBase64() throws Exception {
        try (TestServer server = start("""
                speech:
                  transcription:
                    baseURL: %s
                    apiKey: $AUDIO_KEY
                """.formatted(fakeUrl()))) {
            TestServer.Reply heard = upload(server, "memo.wav", "audio/wav", wav(800));
            assertThat(heard.status()).as(heard.body()).isEqualTo(200);
            assertThat(heard.json().path("text").asText()).isEqualTo("Search for the latest AI news");
            assertThat(heard.json().path("language").asText()).isEqualTo("english");
            assertThat(heard.json().path("duration").asDouble()).isEqualTo(2.5);
            assertThat(heard.json().path("blobId").asText()).isNotBlank();

            Object[] call = received.getFirst();
            assertThat(call[0]).isEqualTo("/v1/audio/transcriptions");
            assertThat(call[1]).isEqualTo("Bearer " + AUDIO_KEY);
            assertThat((String) call[3]).startsWith("multipart/form-data; boundary=");
            String sent = new String((byte[]) call[2], StandardCharsets.ISO_8859_1);
            assertThat(sent).contains("name=\"model\"\r\n\r\nwhisper-1").contains("name=\"language\"\r\n\r\nen")
                    .contains("verbose_json");
            // the audio kept as a blob is the audio uploaded
            assertThat(Files.readAllBytes(blobFile(heard.json().path("blobId").asText()))).isEqualTo(wav(800));
            // and its owner may fetch it; another user may not even learn that it exists
            String blobPath = "/api/blobs/" + heard.json().path("blobId").asText();
            assertThat(server.get(blobPath).status()).isEqualTo(200);
            server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
            assertThat(server.as(server.login("bob", IdentityTest.BOB_PASSWORD)).get(blobPath).status())
                    .isEqualTo(404);

            // seed 002: base64 in JSON, with or without a data URL, the type told by the bytes when not given
            String encoded = Base64.getEncoder().encodeToString(wav(400));
            TestServer.Reply b64 = server.post("/api/voice/transcribe", Map.of("audio", encoded));
            assertThat(b64.status()).as(b64.body()).isEqualTo(200);
            assertThat(b64.json().path("text").asText()).isEqualTo("Search for the latest AI news");
            TestServer.Reply dataUrl = server.post("/api/voice/transcribe",
                    Map.of("audio", "data:audio/x-wav;base64," + encoded));
            assertThat(dataUrl.status()).as(dataUrl.body()).isEqualTo(200);
            assertThat(received).hasSize(3);

            // the endpoint's refusal reaches the caller as an upstream failure, not as the server's own error
            TestServer.Reply refused = upload(server, "memo.ogg", "audio/ogg", "OggS-not-really".getBytes());
            assertThat(refused.status()).as(refused.body()).isEqualTo(502);
            assertThat(refused.body()).contains("HTTP 400").doesNotContain(AUDIO_KEY);
        }
    }

    private Path blobFile(String blobId) {
        return home.resolve("data").resolve("blobs").resolve(blobId);
    }

    @Test
    void badAudioIsRefusedNamingTheProblem() throws Exception {
        try (TestServer server = start("""
                speech:
                  maxAudioBytes: 2000
                  transcription:
                    baseURL: %s
                """.formatted(fakeUrl()))) {
            TestServer.Reply empty = upload(server, "memo.wav", "audio/wav", new byte[0]);
            assertThat(empty.status()).isEqualTo(400);
            assertThat(empty.errorField()).isEqualTo("file");
            assertThat(empty.body()).contains("empty");

            TestServer.Reply big = upload(server, "memo.wav", "audio/wav", wav(5000));
            assertThat(big.status()).isEqualTo(400);
            assertThat(big.errorField()).isEqualTo("file");
            assertThat(big.body()).contains("2000 bytes");

            // far over the limit: refused from its length, before the parts are read
            TestServer.Reply huge = upload(server, "memo.wav", "audio/wav", wav(40_000));
            assertThat(huge.status()).isEqualTo(400);
            assertThat(huge.errorField()).isEqualTo("file");
            assertThat(huge.body()).contains("the upload is");

            TestServer.Reply text = upload(server, "notes.txt", "text/plain", "hello".getBytes());
            assertThat(text.status()).isEqualTo(400);
            assertThat(text.errorField()).isEqualTo("file");
            assertThat(text.body()).contains("text/plain").contains("not a supported audio type");

            TestServer.Reply unknown = upload(server, "blob.bin", "application/octet-stream", "not audio".getBytes());
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.body()).contains("not audio of a supported type");

            TestServer.Reply notMultipart = server.post("/transcribe", Map.of("audio", "x"));
            assertThat(notMultipart.status()).isEqualTo(400);
            assertThat(notMultipart.errorField()).isEqualTo("file");

            TestServer.Reply bigBase64 = server.post("/api/voice/transcribe",
                    Map.of("audio", Base64.getEncoder().encodeToString(wav(5000))));
            assertThat(bigBase64.status()).isEqualTo(400);
            assertThat(bigBase64.errorField()).isEqualTo("audio");

            TestServer.Reply notBase64 = server.post("/api/voice/transcribe", Map.of("audio", "%%%not base64%%%"));
            assertThat(notBase64.status()).isEqualTo(400);
            assertThat(notBase64.errorField()).isEqualTo("audio");

            TestServer.Reply wrongType = server.post("/api/voice/transcribe",
                    Map.of("audio", Base64.getEncoder().encodeToString(wav(10)), "mimeType", "image/png"));
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.body()).contains("image/png");

            TestServer.Reply missing = server.post("/api/voice/transcribe", Map.of());
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.errorField()).isEqualTo("audio");
            assertThat(received).isEmpty();
        }
    }

    @Test
    void withoutATranscriptionEndpointTranscriptionSaysWhatToConfigure() throws Exception {
        try (TestServer server = start("")) {
            TestServer.Reply reply = upload(server, "memo.wav", "audio/wav", wav(100));
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.body()).contains("speech.transcription");
        }
    }

    @Test
    void speechGoesThroughTheConfiguredEndpoint() throws Exception {
        try (TestServer server = start("""
                speech:
                  tts:
                    baseURL: %s
                    model: tts-1-hd
                    voice: nova
                    apiKey: $AUDIO_KEY
                """.formatted(fakeUrl()))) {
            TestServer.Reply spoken = server.post("/v1/tts/speak", Map.of("text", "Hello there", "speed", 1.25));
            assertThat(spoken.status()).as(spoken.body()).isEqualTo(200);
            assertThat(Base64.getDecoder().decode(spoken.json().path("audio").asText())).isEqualTo(MP3);
            assertThat(spoken.json().path("mimeType").asText()).isEqualTo("audio/mpeg");
            assertThat(spoken.json().path("provider").asText()).isEqualTo("openai-compatible:tts-1-hd");
            Object[] call = received.getFirst();
            assertThat(call[0]).isEqualTo("/v1/audio/speech");
            assertThat(call[1]).isEqualTo("Bearer " + AUDIO_KEY);
            JsonNode sent = TestServer.JSON.readTree((byte[]) call[2]);
            assertThat(sent.path("model").asText()).isEqualTo("tts-1-hd");
            assertThat(sent.path("input").asText()).isEqualTo("Hello there");
            assertThat(sent.path("voice").asText()).isEqualTo("nova");
            assertThat(sent.path("speed").asDouble()).isEqualTo(1.25);
            assertThat(Files.readAllBytes(blobFile(spoken.json().path("blobId").asText()))).isEqualTo(MP3);

            // a client that asks for audio gets the audio itself
            TestServer.Reply raw = server.send(server.request("/v1/tts/speak").header("Accept", "audio/mpeg")
                    .POST(TestServer.publisher(Map.of("text", "Again", "voice", "echo"))));
            assertThat(raw.status()).isEqualTo(200);
            assertThat(raw.raw().headers().firstValue("content-type").orElse("")).startsWith("audio/mpeg");
            assertThat(raw.body().getBytes(StandardCharsets.ISO_8859_1)).startsWith("ID3".getBytes());
            assertThat(TestServer.JSON.readTree((byte[]) received.get(1)[2]).path("voice").asText())
                    .isEqualTo("echo");
        }
    }

    @Test
    void withoutASpeechEndpointTheLocalEngineSpeaksAWav() throws Exception {
        try (TestServer server = start("")) {
            TestServer.Reply spoken = server.post("/v1/tts/speak",
                    Map.of("text", "Switchboard speaks without any account.", "voice", "en-us"));
            assertThat(spoken.status()).as(spoken.body()).isEqualTo(200);
            assertThat(spoken.json().path("provider").asText()).isEqualTo("espeak-ng");
            assertThat(spoken.json().path("mimeType").asText()).isEqualTo("audio/wav");
            byte[] wav = Base64.getDecoder().decode(spoken.json().path("audio").asText());
            ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(new String(wav, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WAVE");
            assertThat(new String(wav, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("fmt ");
            // a second and more of 16-bit audio, and the sizes in the header filled in
            int sampleRate = b.getInt(24);
            assertThat(sampleRate).isBetween(8000, 48000);
            assertThat(wav.length).isGreaterThan(44 + sampleRate * 2);
            assertThat(b.getInt(4)).isEqualTo(wav.length - 8);
            assertThat(new String(wav, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
            assertThat(b.getInt(40)).isEqualTo(wav.length - 44);
            assertThat(received).isEmpty();

            TestServer.Reply empty = server.post("/v1/tts/speak", Map.of("text", "   "));
            assertThat(empty.status()).isEqualTo(400);
            assertThat(empty.errorField()).isEqualTo("text");
            TestServer.Reply none = server.post("/v1/tts/speak", Map.of());
            assertThat(none.status()).isEqualTo(400);
            assertThat(none.errorField()).isEqualTo("text");
            TestServer.Reply voice = server.post("/v1/tts/speak", Map.of("text", "Hi", "voice", "klingon-xx"));
            assertThat(voice.status()).as(voice.body()).isEqualTo(400);
            assertThat(voice.errorField()).isEqualTo("voice");
            TestServer.Reply speed = server.post("/v1/tts/speak", Map.of("text", "Hi", "speed", 9));
            assertThat(speed.status()).isEqualTo(400);
            assertThat(speed.errorField()).isEqualTo("speed");
            TestServer.Reply longText = server.post("/v1/tts/speak", Map.of("text", "a".repeat(5000)));
            assertThat(longText.status()).isEqualTo(400);
            assertThat(longText.errorField()).isEqualTo("text");
        }
    }
}
