package dev.switchboard.tool.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the file tools tell text from binary, and their size limits. */
final class TextFiles {

    /** The most text {@code read_file} returns in one call. */
    static final int MAX_READ_CHARS = 256 * 1024;
    /** The largest file {@code write_file} writes and {@code edit_file} edits. */
    static final int MAX_WRITE_BYTES = 1024 * 1024;
    /** Files larger than this are skipped by {@code search_files}. */
    static final long MAX_SEARCHED_BYTES = 1024 * 1024;

    private static final int SNIFFED = 8192;

    private TextFiles() {
    }

    /** Whether the first bytes look binary: a NUL byte, as in images, archives and executables, but never text. */
    static boolean looksBinary(byte[] bytes, int length) {
        for (int i = 0; i < Math.min(length, SNIFFED); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    static boolean looksBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SNIFFED);
            return looksBinary(head, head.length);
        }
    }

    /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
