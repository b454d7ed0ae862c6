package dev.switchboard.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a GGUF file's header says: format version, tensor count and the scalar metadata (architecture, name,
 * context length, …), read without loading the weights. {@link #read} also checks that every tensor's data lies
 * inside the file, which catches truncated downloads.
 *
 * @param metadata scalar values by key; arrays appear as {@code "array[<count>]"} (a vocabulary has 100k strings)
 */
public record GgufHeader(int version, long tensorCount, long metadataCount, Map<String, Object> metadata,
        long dataOffset, long fileSize) {

    /** Why a file is not a GGUF model this server can load; the message names the problem. */
    public static final class InvalidGgufException extends Exception {
        public InvalidGgufException(String message) {
            super(message);
        }
    }

    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int MAX_STRING = 1 << 20;
    private static final long MAX_TENSORS = 1 << 20;
    private static final long MAX_METADATA = 1 << 16;

    public String architecture() {
        return metadata.get("general.architecture") instanceof String s ? s : null;
    }

    public String name() {
        return metadata.get("general.name") instanceof String s ? s : null;
    }

    /** {@code <architecture>.context_length}, if the file says. */
    public Long contextLength() {
        return architecture() != null && metadata.get(architecture() + ".context_length") instanceof Number n
                ? n.longValue() : null;
    }

    /** Reads and checks the header of {@code file}. */
    public static GgufHeader read(Path file) throws InvalidGgufException, IOException {
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Reader in = new Reader(raw);
            if (size < 24 || in.i32() != MAGIC) {
                throw new InvalidGgufException("not a GGUF file: the magic bytes 'GGUF' are missing");
            }
            int version = in.i32();
            if (version < 2 || version > 3) {
                throw new InvalidGgufException("unsupported GGUF version " + version + " (2 and 3 are supported)");
            }
            long tensors = in.i64();
            long kvs = in.i64();
            if (tensors <= 0 || tensors > MAX_TENSORS) {
                throw new InvalidGgufException("implausible tensor count " + tensors);
            }
            if (kvs < 0 || kvs > MAX_METADATA) {
                throw new InvalidGgufException("implausible metadata count " + kvs);
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvs; i++) {
                String key = in.string();
                metadata.put(key, in.value(in.i32()));
            }
            if (!(metadata.get("general.architecture") instanceof String arch) || arch.isBlank()) {
                throw new InvalidGgufException("the metadata names no general.architecture");
            }
            long maxEnd = 0;
            for (long i = 0; i < tensors; i++) {
                String name = in.string();
                int dims = in.i32();
                if (dims < 1 || dims > 4) {
                    throw new InvalidGgufException("tensor '" + name + "' has " + dims + " dimensions");
                }
                long elements = 1;
                for (int d = 0; d < dims; d++) {
                    long n = in.i64();
                    if (n <= 0) {
                        throw new InvalidGgufException("tensor '" + name + "' has a dimension of " + n);
                    }
                    elements = Math.multiplyExact(elements, n);
                }
                in.i32(); // the ggml type; its block size is llama.cpp's business
                long offset = in.i64();
                if (offset < 0) {
                    throw new InvalidGgufException("tensor '" + name + "' has a negative offset");
                }
                maxEnd = Math.max(maxEnd, offset + 1);
            }
            long alignment = metadata.get("general.alignment") instanceof Number n && n.longValue() > 0
                    ? n.longValue() : 32;
            long dataOffset = (in.position + alignment - 1) / alignment * alignment;
            if (dataOffset + maxEnd > size) {
                throw new InvalidGgufException("the file is truncated: its tensors need more than " + size
                        + " bytes");
            }
            return new GgufHeader(version, tensors, kvs, metadata, dataOffset, size);
        } catch (EOFException e) {
            throw new InvalidGgufException("the file ends inside its header (truncated or not a GGUF file)");
        } catch (ArithmeticException e) {
            throw new InvalidGgufException("a tensor's size overflows");
        }
    }

    /** Little-endian reads that count the position. */
    private static final class Reader {
        private final DataInputStream in;
        long position;

        Reader(InputStream in) {
            this.in = new DataInputStream(in);
        }

        int i32() throws IOException {
            position += 4;
            return Integer.reverseBytes(in.readInt());
        }

        long i64() throws IOException {
            position += 8;
            return Long.reverseBytes(in.readLong());
        }

        String string() throws IOException, InvalidGgufException {
            long length = i64();
            if (length < 0 || length > MAX_STRING) {
                throw new InvalidGgufException("implausible string length " + length + " in the header");
            }
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length) {
                throw new EOFException();
            }
            position += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** A value of the GGUF type; arrays are skipped and summarized by their length. */
        Object value(int type) throws IOException, InvalidGgufException {
            return switch (type) {
                case 0, 1 -> {
                    position += 1;
                    int b = in.readByte();
                    yield type == 0 ? b & 0xff : b;
                }
                case 2, 3 -> {
                    position += 2;
                    short s = Short.reverseBytes(in.readShort());
                    yield type == 2 ? s & 0xffff : (int) s;
                }
                case 4 -> i32() & 0xffffffffL;
                case 5 -> i32();
                case 6 -> Float.intBitsToFloat(i32());
                case 7 -> {
                    position += 1;
                    yield in.readByte() != 0;
                }
                case 8 -> string();
                case 9 -> {
                    int elementType = i32();
                    long count = i64();
                    if (count < 0 || count > 1L << 28) {
                        throw new InvalidGgufException("implausible array length " + count);
                    }
                    for (long k = 0; k < count; k++) {
                        value(elementType);
                    }
                    yield "array[" + count + "]";
                }
                case 10, 11 -> i64();
                case 12 -> Double.longBitsToDouble(i64());
                default -> throw new InvalidGgufException("unknown metadata value type " + type);
            };
        }
    }
}
