package dev.switchboard.testkit;

import java.util.ArrayList;
import java.util.List;

/** Splits scripted text the way providers stream it, so clients must reassemble pieces. */
final class Chunks {

    private static final int ARGUMENT_PIECES = 4;

    private Chunks() {
    }

    /** Words with their trailing whitespace; the pieces concatenate back to {@code text}. */
    static List<String> words(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            pieces.add(text.substring(start, i));
            start = i;
        }
        return pieces;
    }

    /** Up to four roughly equal pieces, cut without regard to JSON structure, as real providers do. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>(ARGUMENT_PIECES);
        int size = Math.max(1, (text.length() + ARGUMENT_PIECES - 1) / ARGUMENT_PIECES);
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + size);
            // Never split a surrogate pair: each piece must be valid text on its own.
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
