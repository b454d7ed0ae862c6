package dev.switchboard.speech;

/**
 * What a transcription model heard.
 *
 * @param language the spoken language the model reported or was told, null when neither
 * @param durationSeconds the audio's length as the model reported it, null when it did not
 */
public record Transcript(String text, String language, Double durationSeconds) {
}
