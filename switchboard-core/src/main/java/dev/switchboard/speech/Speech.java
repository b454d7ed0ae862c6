package dev.switchboard.speech;

import dev.switchboard.content.BlobStore;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotConfiguredException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Transcription and text-to-speech behind the faces: checks what comes in (size, audio type, text), keeps every
 * clip heard or spoken as a blob, and hands the work to the configured engines.
 */
public final class Speech {

    /** The longest text spoken in one request: OpenAI's {@code /audio/speech} limit. */
    public static final int MAX_TEXT_CHARS = 4096;

    /** Audio types the transcription endpoints read, by file extension. */
    public static final Map<String, String> AUDIO_TYPES = Map.of("wav", "audio/wav", "mp3", "audio/mpeg",
            "m4a", "audio/mp4", "mp4", "audio/mp4", "ogg", "audio/ogg", "webm", "audio/webm", "flac", "audio/flac",
            "mpga", "audio/mpeg", "mpeg", "audio/mpeg", "oga", "audio/ogg");

    /** Other names clients give the same types. */
    private static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("audio/x-wav", "audio/wav"),
            Map.entry("audio/wave", "audio/wav"), Map.entry("audio/vnd.wave", "audio/wav"),
            Map.entry("audio/mp3", "audio/mpeg"), Map.entry("audio/mpga", "audio/mpeg"),
            Map.entry("audio/x-m4a", "audio/mp4"), Map.entry("audio/m4a", "audio/mp4"),
            Map.entry("video/mp4", "audio/mp4"), Map.entry("video/webm", "audio/webm"),
            Map.entry("audio/x-flac", "audio/flac"), Map.entry("application/ogg", "audio/ogg"),
            Map.entry("audio/opus", "audio/ogg"));

    /** What was heard, and the blob the audio is kept in. */
    public record Heard(Transcript transcript, String blobId, String engine) {
    }

    /** What was said, and the blob the audio is kept in. */
    public record Spoken(Audio audio, String blobId, String engine, String voice) {
    }

    private final Transcriber transcriber;
    private final Synthesizer synthesizer;
    private final BlobStore blobs;
    private final long maxAudioBytes;

    /** @param transcriber null when no transcription endpoint is configured */
    public Speech(Transcriber transcriber, Synthesizer synthesizer, BlobStore blobs, long maxAudioBytes) {
        this.transcriber = transcriber;
        this.synthesizer = synthesizer;
        this.blobs = blobs;
        this.maxAudioBytes = maxAudioBytes;
    }

    public long maxAudioBytes() {
        return maxAudioBytes;
    }

    /** The engine that transcribes, if one is configured. */
    public Optional<String> transcriber() {
        return Optional.ofNullable(transcriber).map(Transcriber::name);
    }

    public String synthesizer() {
        return synthesizer.name();
    }

    /**
     * Transcribes one clip.
     *
     * @param field the request field the audio came in, named by errors
     * @param declaredType the media type the client gave, or null
     * @param fileName the client's file name, or null
     */
    public Heard transcribe(String field, byte[] data, String declaredType, String fileName, String language) {
        if (data == null || data.length == 0) {
            throw new InvalidInputException(field, "is empty: send the audio to transcribe");
        }
        if (data.length > maxAudioBytes) {
            throw new InvalidInputException(field, "is " + data.length + " bytes; the largest audio accepted is "
                    + maxAudioBytes + " bytes");
        }
        if (language != null && !language.strip().matches("[A-Za-z]{2,3}")) {
            throw new InvalidInputException("language", "must be an ISO-639-1 code such as 'en'");
        }
        String type = audioType(field, data, declaredType, fileName);
        if (transcriber == null) {
            throw new NotConfiguredException("No transcription endpoint is configured: set speech.transcription "
                    + "(baseURL, model, apiKey) in switchboard.yml", Map.of("setting", "speech.transcription"));
        }
        String blobId = blobs.put(data, type);
        Transcript transcript = transcriber.transcribe(new Audio(data, type), "audio." + extension(type),
                language == null ? null : language.strip().toLowerCase(Locale.ROOT));
        return new Heard(transcript, blobId, transcriber.name());
    }

    /** Speaks the text with the configured engine. */
    public Spoken speak(String text, String voice, Double speed) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("text", "is empty: send the text to speak");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new InvalidInputException("text", "is " + text.length() + " characters; at most "
                    + MAX_TEXT_CHARS + " are spoken at once");
        }
        if (voice != null && !voice.matches("[A-Za-z0-9_+.-]{1,64}")) {
            throw new InvalidInputException("voice", "must be a voice name of letters, digits, '_', '+', '.' "
                    + "or '-'");
        }
        double pace = speed == null ? 1.0 : speed;
        if (!(pace >= 0.25 && pace <= 4.0)) {
            throw new InvalidInputException("speed", "must be between 0.25 and 4");
        }
        Audio audio = synthesizer.speak(text.strip(), voice, pace);
        return new Spoken(audio, blobs.put(audio.data(), audio.mimeType()), synthesizer.name(), voice);
    }

    /**
     * The clip's media type: the declared one when it is an audio type the endpoints read, else what its first
     * bytes show, else what its file name says; a declared type that is not audio is refused outright.
     */
    static String audioType(String field, byte[] data, String declaredType, String fileName) {
        String declared = declaredType == null ? "" : declaredType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        declared = ALIASES.getOrDefault(declared, declared);
        if (AUDIO_TYPES.containsValue(declared)) {
            return declared;
        }
        boolean undeclared = declared.isEmpty() || declared.equals("application/octet-stream");
        if (!undeclared) {
            throw new InvalidInputException(field, "has type '" + declared + "', which is not a supported audio "
                    + "type; send one of " + String.join(", ", new java.util.TreeSet<>(AUDIO_TYPES.keySet())));
        }
        Optional<String> sniffed = sniff(data);
        if (sniffed.isPresent()) {
            return sniffed.get();
        }
        String extension = fileName == null || !fileName.contains(".") ? ""
                : fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (AUDIO_TYPES.containsKey(extension)) {
            return AUDIO_TYPES.get(extension);
        }
        throw new InvalidInputException(field, "is not audio of a supported type (" + String.join(", ",
                new java.util.TreeSet<>(AUDIO_TYPES.keySet())) + "); its content and name say neither");
    }

    /** The type the bytes' signature shows, if any. */
    static Optional<String> sniff(byte[] d) {
        if (starts(d, 0, "RIFF") && starts(d, 8, "WAVE")) {
            return Optional.of("audio/wav");
        }
        if (starts(d, 0, "OggS")) {
            return Optional.of("audio/ogg");
        }
        if (starts(d, 0, "fLaC")) {
            return Optional.of("audio/flac");
        }
        if (starts(d, 0, "ID3") || d.length > 1 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xE0) == 0xE0) {
            return Optional.of("audio/mpeg");
        }
        if (starts(d, 4, "ftyp")) {
            return Optional.of("audio/mp4");
        }
        if (d.length > 3 && (d[0] & 0xFF) == 0x1A && (d[1] & 0xFF) == 0x45 && (d[2] & 0xFF) == 0xDF
                && (d[3] & 0xFF) == 0xA3) {
            return Optional.of("audio/webm");
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] data, int at, String ascii) {
        if (data.length < at + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (data[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The file extension providers recognise for a supported type. */
    static String extension(String mimeType) {
        return switch (mimeType) {
            case "audio/wav" -> "wav";
            case "audio/mpeg" -> "mp3";
            case "audio/mp4" -> "m4a";
            case "audio/ogg" -> "ogg";
            case "audio/webm" -> "webm";
            case "audio/flac" -> "flac";
            default -> "bin";
        };
    }
}
