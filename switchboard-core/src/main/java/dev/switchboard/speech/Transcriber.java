package dev.switchboard.speech;

/** Turns speech into text. */
public interface Transcriber {

    /**
     * @param fileName the name the audio is sent under; providers tell the format by its extension
     * @param language an ISO-639-1 hint, or null to let the model detect it
     */
    Transcript transcribe(Audio audio, String fileName, String language);

    /** Which engine this is, as answers name it. */
    String name();
}
