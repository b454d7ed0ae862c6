package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny but valid GGUF v3 model of the llama architecture with random weights and a SentencePiece-style
 * ("llama") tokenizer, so tests can load a real model into llama.cpp without downloading one.
 *
 * <p>The layout follows the GGUF specification: header (magic, version, tensor count, metadata count), metadata
 * key-values, tensor infos (name, dimensions innermost first, type, offset), padding to {@code general.alignment},
 * then the tensor data, each tensor aligned.
 */
public final class TinyGguf {

    private static final int ALIGNMENT = 32;
    private static final int TYPE_UINT32 = 4;
    private static final int TYPE_INT32 = 5;
    private static final int TYPE_FLOAT32 = 6;
    private static final int TYPE_STRING = 8;
    private static final int TYPE_ARRAY = 9;
    private static final int GGML_F32 = 0;

    /** The words the vocabulary holds besides the control and byte tokens. */
    private static final List<String> WORDS = List.of("▁", "▁hello", "▁world", "▁the", "▁a", "▁cat", "▁dog",
            "▁is", "▁on", "▁mat", "▁and", "▁local", "▁model", "▁says", "▁hi", "▁yes", "▁no", "▁switch", "▁board",
            ".", ",", "!", "?", "e", "t", "a", "o", "i", "n", "s", "h", "r", "d", "l", "u", "c", "m", "w", "f", "g",
            "y", "p", "b", "v", "k", "j", "x", "q", "z", "▁I", "▁you", "▁it", "▁to", "▁of", "▁in", "er", "in", "on",
            "an", "re", "th", "he", "at", "en", "nd", "es", "or", "te", "ed", "ti", "is", "ar", "al", "st", "to");

    private final int embedding;
    private final int layers;
    private final int heads;
    private final int feedForward;
    private final long seed;

    private TinyGguf(int embedding, int layers, int heads, int feedForward, long seed) {
        this.embedding = embedding;
        this.layers = layers;
        this.heads = heads;
        this.feedForward = feedForward;
        this.seed = seed;
    }

    /** A 2-layer model, embedding 64, 4 heads, a vocabulary of {@link #vocabularySize()} tokens. */
    public static TinyGguf standard() {
        return new TinyGguf(64, 2, 4, 128, 42);
    }

    /** 3 control tokens, 256 byte tokens and the words. */
    public static int vocabularySize() {
        return 3 + 256 + WORDS.size();
    }

    /** Writes the model to {@code file} and answers the file. */
    public Path writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(bytes());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole file. */
    public byte[] bytes() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(6);
        }
        tokens.addAll(WORDS);
        WORDS.forEach(w -> types.add(1));
        float[] scores = new float[tokens.size()];
        for (int i = 0; i < scores.length; i++) {
            // longer pieces win when SentencePiece merges, as in real vocabularies
            scores[i] = i < 259 ? 0f : -1000f + tokens.get(i).length() * 10f - i * 0.01f;
        }
        int vocab = tokens.size();

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("general.architecture", "llama");
        meta.put("general.name", "switchboard-tiny-test");
        meta.put("general.alignment", new U32(ALIGNMENT));
        meta.put("llama.context_length", new U32(512));
        meta.put("llama.embedding_length", new U32(embedding));
        meta.put("llama.block_count", new U32(layers));
        meta.put("llama.feed_forward_length", new U32(feedForward));
        meta.put("llama.attention.head_count", new U32(heads));
        meta.put("llama.attention.head_count_kv", new U32(heads));
        meta.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        meta.put("llama.rope.dimension_count", new U32(embedding / heads));
        meta.put("llama.vocab_size", new U32(vocab));
        meta.put("tokenizer.ggml.model", "llama");
        meta.put("tokenizer.ggml.tokens", tokens);
        meta.put("tokenizer.ggml.scores", scores);
        meta.put("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        meta.put("tokenizer.ggml.unknown_token_id", new U32(0));
        meta.put("tokenizer.ggml.bos_token_id", new U32(1));
        meta.put("tokenizer.ggml.eos_token_id", new U32(2));

        Map<String, long[]> tensors = new LinkedHashMap<>();
        tensors.put("token_embd.weight", new long[] {embedding, vocab});
        tensors.put("output_norm.weight", new long[] {embedding});
        tensors.put("output.weight", new long[] {embedding, vocab});
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            tensors.put(p + "attn_norm.weight", new long[] {embedding});
            tensors.put(p + "attn_q.weight", new long[] {embedding, embedding});
            tensors.put(p + "attn_k.weight", new long[] {embedding, embedding});
            tensors.put(p + "attn_v.weight", new long[] {embedding, embedding});
            tensors.put(p + "attn_output.weight", new long[] {embedding, embedding});
            tensors.put(p + "ffn_norm.weight", new long[] {embedding});
            tensors.put(p + "ffn_gate.weight", new long[] {embedding, feedForward});
            tensors.put(p + "ffn_down.weight", new long[] {feedForward, embedding});
            tensors.put(p + "ffn_up.weight", new long[] {embedding, feedForward});
        }

        Sink out = new Sink();
        out.raw(new byte[] {'G', 'G', 'U', 'F'});
        out.u32(3);
        out.u64(tensors.size());
        out.u64(meta.size());
        meta.forEach((key, value) -> {
            out.string(key);
            out.value(value);
        });
        long offset = 0;
        List<Long> sizes = new ArrayList<>();
        for (Map.Entry<String, long[]> t : tensors.entrySet()) {
            out.string(t.getKey());
            out.u32(t.getValue().length);
            long elements = 1;
            for (long d : t.getValue()) {
                out.u64(d);
                elements *= d;
            }
            out.u32(GGML_F32);
            out.u64(offset);
            long size = elements * 4;
            sizes.add(size);
            offset = align(offset + size);
        }
        out.pad();
        Random random = new Random(seed);
        int i = 0;
        for (Map.Entry<String, long[]> t : tensors.entrySet()) {
            boolean norm = t.getValue().length == 1;
            long count = sizes.get(i++) / 4;
            ByteBuffer data = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (long k = 0; k < count; k++) {
                data.putFloat(norm ? 1f : (float) (random.nextGaussian() * 0.5));
            }
            out.raw(data.array());
            out.pad();
        }
        return out.bytes();
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private record U32(int value) {
    }

    /** Little-endian bytes. */
    private static final class Sink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void raw(byte[] bytes) {
            out.writeBytes(bytes);
        }

        void u32(int v) {
            raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void u64(long v) {
            raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        void f32(float v) {
            raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            raw(b);
        }

        void pad() {
            while (out.size() % ALIGNMENT != 0) {
                out.write(0);
            }
        }

        @SuppressWarnings("unchecked")
        void value(Object value) {
            switch (value) {
                case U32 u -> {
                    u32(TYPE_UINT32);
                    u32(u.value());
                }
                case Float f -> {
                    u32(TYPE_FLOAT32);
                    f32(f);
                }
                case String s -> {
                    u32(TYPE_STRING);
                    string(s);
                }
                case List<?> list -> {
                    u32(TYPE_ARRAY);
                    u32(TYPE_STRING);
                    u64(list.size());
                    ((List<String>) list).forEach(this::string);
                }
                case float[] floats -> {
                    u32(TYPE_ARRAY);
                    u32(TYPE_FLOAT32);
                    u64(floats.length);
                    for (float f : floats) {
                        f32(f);
                    }
                }
                case int[] ints -> {
                    u32(TYPE_ARRAY);
                    u32(TYPE_INT32);
                    u64(ints.length);
                    for (int n : ints) {
                        u32(n);
                    }
                }
                default -> throw new IllegalArgumentException("no GGUF type for " + value.getClass());
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
