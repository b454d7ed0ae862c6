package dev.switchboard.face.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame's payload, encoded to UTF-8 once and shared by every connection it goes to: an event for 1,000
 * subscribers is one encoding and one array, and each write reads it through its own read-only view.
 */
final class TextFrame {

    private final ByteBuffer utf8;

    private TextFrame(ByteBuffer utf8) {
        this.utf8 = utf8;
    }

    static TextFrame of(String text) {
        return new TextFrame(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    /** A view of the payload with its own position, so that concurrent writes to many sockets do not interfere. */
    ByteBuffer payload() {
        return utf8.duplicate();
    }

    /** The frame as text again; for tests and logs, not for sending. */
    String text() {
        return StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
