package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.speech.Speech;
import dev.switchboard.store.Store;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;

/**
 * Speech for every signed-in caller: seed 001's {@code POST /transcribe} (a multipart upload), seed 002's
 * {@code POST /api/voice/transcribe} (base64 in JSON) and seed 000's {@code POST /v1/tts/speak}.
 */
public final class SpeechApi {

    /** Room for the form's other parts and headers beside the audio. */
    private static final long FORM_OVERHEAD = 64 * 1024;

    private final Speech speech;
    private final Store store;

    public SpeechApi(Speech speech, Store store) {
        this.store = store;
        this.speech = speech;
    }

    public void register(Routes routes) {
        routes.post("/transcribe", this::transcribeUpload)
                .post("/api/voice/transcribe", this::transcribeBase64)
                .post("/v1/tts/speak", this::speak);
    }

    /** The first uploaded file is the audio, whatever its part's name ({@code file} or {@code audio}). */
    private void transcribeUpload(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new InvalidInputException("file", "send the audio as multipart/form-data with a 'file' part");
        }
        // refused before the parts are parsed (and spooled to disk) when the whole upload is already too large
        if (ctx.contentLength() > speech.maxAudioBytes() + FORM_OVERHEAD) {
            throw new InvalidInputException("file", "the upload is " + ctx.contentLength() + " bytes; the largest "
                    + "audio accepted is " + speech.maxAudioBytes() + " bytes");
        }
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles();
        } catch (RuntimeException e) {
            throw new InvalidInputException("file", "the multipart upload could not be read: it is malformed or "
                    + "larger than the server accepts");
        }
        if (files.isEmpty()) {
            throw new InvalidInputException("file", "is missing: send the audio as a 'file' part");
        }
        UploadedFile file = files.getFirst();
        if (file.size() > speech.maxAudioBytes()) {
            throw new InvalidInputException("file", "is " + file.size() + " bytes; the largest audio accepted is "
                    + speech.maxAudioBytes() + " bytes");
        }
        byte[] data;
        try (InputStream in = file.content()) {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new InvalidInputException("file", "could not be read");
        }
        Speech.Heard heard = speech.transcribe("file", data, file.contentType(), file.filename(),
                ctx.formParam("language"));
        store.recordBlobOwner(Owner.of(ctx), heard.blobId());
        ctx.json(wire(heard));
    }

    private void transcribeBase64(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "audio", "mimeType", "filename", "language");
        String audio = body.requiredString("audio").strip();
        String mimeType = body.optionalString("mimeType");
        // a data URL carries its own type
        if (audio.startsWith("data:")) {
            int comma = audio.indexOf(',');
            String header = comma < 0 ? "" : audio.substring(5, comma);
            if (comma < 0 || !header.endsWith(";base64")) {
                throw new InvalidInputException("audio", "a data URL must be base64: data:<type>;base64,<data>");
            }
            mimeType = mimeType == null ? header.substring(0, header.length() - ";base64".length()) : mimeType;
            audio = audio.substring(comma + 1);
        }
        // a clip larger than the limit is refused before it is decoded
        if (audio.length() / 4L * 3 > speech.maxAudioBytes() + 3) {
            throw new InvalidInputException("audio", "is about " + audio.length() / 4L * 3 + " bytes; the largest "
                    + "audio accepted is " + speech.maxAudioBytes() + " bytes");
        }
        byte[] data;
        try {
            data = Base64.getMimeDecoder().decode(audio);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("audio", "is not valid base64");
        }
        Speech.Heard heard = speech.transcribe("audio", data, mimeType, body.optionalString("filename"),
                body.optionalString("language"));
        store.recordBlobOwner(Owner.of(ctx), heard.blobId());
        ctx.json(wire(heard));
    }

    /**
     * Answers the audio in JSON as base64, or as the audio itself when the client asks for audio in
     * {@code Accept}.
     */
    private void speak(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "text", "voice", "speed");
        JsonNode text = body.get("text");
        if (text != null && !text.isTextual()) {
            throw new InvalidInputException("text", "must be a string");
        }
        JsonNode speed = body.get("speed");
        if (speed != null && !speed.isNull() && !speed.isNumber()) {
            throw new InvalidInputException("speed", "must be a number between 0.25 and 4");
        }
        Speech.Spoken spoken = speech.speak(text == null ? null : text.asText(), body.optionalString("voice"),
                speed == null || speed.isNull() ? null : speed.asDouble());
        store.recordBlobOwner(Owner.of(ctx), spoken.blobId());
        String accept = ctx.header("Accept");
        if (accept != null && accept.strip().startsWith("audio/")) {
            ctx.contentType(spoken.audio().mimeType()).header("X-Blob-Id", spoken.blobId())
                    .result(spoken.audio().data());
            return;
        }
        ObjectNode json = Json.object().put("audio", Base64.getEncoder().encodeToString(spoken.audio().data()))
                .put("mimeType", spoken.audio().mimeType()).put("bytes", spoken.audio().data().length)
                .put("provider", spoken.engine()).put("voice", spoken.voice()).put("blobId", spoken.blobId());
        ctx.json(json);
    }

    private static ObjectNode wire(Speech.Heard heard) {
        ObjectNode json = Json.object().put("text", heard.transcript().text())
                .put("language", heard.transcript().language());
        if (heard.transcript().durationSeconds() == null) {
            json.putNull("duration");
        } else {
            json.put("duration", heard.transcript().durationSeconds());
        }
        return json.put("provider", heard.engine()).put("blobId", heard.blobId());
    }
}
