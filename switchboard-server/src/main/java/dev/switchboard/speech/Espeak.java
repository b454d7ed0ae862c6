package dev.switchboard.speech;

import dev.switchboard.failure.NotConfiguredException;
import dev.switchboard.failure.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The local text-to-speech engine: espeak-ng run as a process (arguments, never a shell), the text on its standard
 * input and a WAV on its standard output, so speech works with no cloud account.
 */
public final class Espeak implements Synthesizer {

    private static final long TIMEOUT_SECONDS = 60;
    /** espeak-ng's own pace, words per minute, at speed 1. */
    private static final int WORDS_PER_MINUTE = 175;

    private final String command;

    /** @param command the program to run, {@code espeak-ng} on the PATH or a path to it */
    public Espeak(String command) {
        this.command = command;
    }

    @Override
    public String name() {
        return "espeak-ng";
    }

    @Override
    public Audio speak(String text, String voice, double speed) {
        List<String> args = new ArrayList<>(List.of(command, "--stdin", "--stdout", "-b", "1",
                "-s", Integer.toString((int) Math.round(Math.max(80, Math.min(500, WORDS_PER_MINUTE * speed))))));
        if (voice != null) {
            args.addAll(List.of("-v", voice));
        }
        Process process;
        try {
            process = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new NotConfiguredException("The local speech engine '" + command + "' cannot be run (install "
                    + "espeak-ng, or set speech.tts in switchboard.yml)", Map.of("setting", "speech.espeak"));
        }
        // stdout and stderr are drained while stdin is written, so a long text cannot block on a full pipe
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the process ended early; its exit status and error output below say why
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new UpstreamException("The local speech engine took longer than " + TIMEOUT_SECONDS
                        + " seconds", Map.of("engine", name()));
            }
            byte[] wav = out.get(5, TimeUnit.SECONDS);
            String errors = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0 && voice != null && errors.contains("voice does not exist")) {
                throw new dev.switchboard.failure.InvalidInputException("voice", "'" + voice + "' is not a voice of "
                        + "the local engine (espeak-ng); use a language code such as 'en' or 'en-us'");
            }
            if (process.exitValue() != 0 || wav.length <= 44) {
                throw new UpstreamException("The local speech engine failed (exit " + process.exitValue() + ")"
                        + (errors.isEmpty() ? "" : ": " + errors.lines().findFirst().orElse("")),
                        Map.of("engine", name()));
            }
            return new Audio(withSizes(wav), "audio/wav");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UpstreamException("Interrupted while speaking", Map.of("engine", name()));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new UpstreamException("The local speech engine's output could not be read",
                    Map.of("engine", name()));
        }
    }

    /**
     * The WAV with its RIFF and data sizes filled in: written to a pipe, espeak-ng cannot seek back and leaves
     * placeholders there that some players refuse.
     */
    static byte[] withSizes(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952) {
            return wav;
        }
        b.putInt(4, wav.length - 8);
        int at = 12;
        while (at + 8 <= wav.length) {
            String id = new String(wav, at, 4, StandardCharsets.US_ASCII);
            if (id.equals("data")) {
                b.putInt(at + 4, wav.length - at - 8);
                break;
            }
            int size = b.getInt(at + 4);
            if (size < 0 || at + 8L + size > wav.length) {
                break;
            }
            at += 8 + size + (size & 1);
        }
        return wav;
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }
}
