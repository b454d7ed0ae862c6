package dev.switchboard.speech;

/** Audio as received or made: its bytes and media type. */
public record Audio(byte[] data, String mimeType) {
}
