package dev.switchboard.llm.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import de.kherud.llama.args.LogFormat;
import dev.switchboard.content.Content;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.model.GgufHeader;
import dev.switchboard.session.Message;
import dev.switchboard.session.TokenUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} provider: GGUF models run inside the server by llama.cpp (the {@code de.kherud:llama} binding,
 * whose native library ships in its jar). A model is loaded on its first call and unloaded after it has been idle
 * for a while, when its file is deleted, or when the server stops. Tokens stream to the listener as they are
 * sampled; a cancelled run stops the generation at the next token.
 *
 * <p>Local models are offered no tools: the small models a server runs on its CPU do not call them reliably, and
 * llama.cpp's tool-call parsing depends on each model's own template.
 */
public final class LlamaCppLlmClient implements LlmClient, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LlamaCppLlmClient.class);
    private static final int DEFAULT_MAX_OUTPUT = 512;
    private static final int MAX_CONTEXT = 4096;

    /** A model in memory and how many calls use it now. */
    private static final class Loaded {
        final Path file;
        final LlamaModel model;
        int inUse;
        Instant lastUsed;
        boolean closing;

        Loaded(Path file, LlamaModel model, Instant now) {
            this.file = file;
            this.model = model;
            this.lastUsed = now;
        }
    }

    private final Function<String, Path> files;
    private final Duration idleLimit;
    private final Clock clock;
    private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();
    private final Object loading = new Object();
    private final ScheduledExecutorService sweeper;
    private volatile boolean nativeReady;

    /**
     * @param files the model file a model id names (the models folder's resolver; it throws the 4xx family for a
     *     path outside the folder or a missing file)
     * @param idleLimit how long a model stays loaded without calls
     */
    public LlamaCppLlmClient(Function<String, Path> files, Duration idleLimit, Clock clock) {
        this.files = files;
        this.idleLimit = idleLimit;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("llama-idle")
                .factory());
        long period = Math.max(1, Math.min(60, idleLimit.toSeconds() / 2));
        sweeper.scheduleWithFixedDelay(this::unloadIdle, period, period, TimeUnit.SECONDS);
    }

    @Override
    public LlmResponse stream(LlmRequest request, LlmListener listener, Cancellation cancellation) {
        LlmSettings settings = request.settings();
        if (cancellation.isCancelled()) {
            throw new CancellationException("cancelled before the local model ran");
        }
        Loaded model = acquire(settings.model());
        try {
            return generate(model.model, request, listener, cancellation);
        } finally {
            release(model);
        }
    }

    private LlmResponse generate(LlamaModel model, LlmRequest request, LlmListener listener,
            Cancellation cancellation) {
        LlmSettings settings = request.settings();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (Message m : request.messages()) {
            String text = Content.plainText(m.content());
            switch (m.role()) {
                case USER -> turns.add(new Pair<>("user", text));
                case ASSISTANT -> turns.add(new Pair<>("assistant", text));
                // earlier runs with another provider may have called tools: their results read as user turns
                case TOOL -> turns.add(new Pair<>("user", "[result of tool " + m.toolName() + "] " + text));
                case SYSTEM -> turns.add(new Pair<>("system", text));
            }
        }
        String prompt;
        try {
            prompt = model.applyTemplate(new InferenceParameters("").setMessages(
                    request.systemPrompt() == null ? "" : request.systemPrompt(), turns));
        } catch (RuntimeException e) {
            throw new LlmException("local model '" + settings.model() + "' could not format the conversation: "
                    + e.getMessage(), false, 400, e);
        }
        int maxOutput = settings.maxOutputTokens() == null ? DEFAULT_MAX_OUTPUT : settings.maxOutputTokens();
        InferenceParameters params = new InferenceParameters(prompt).setNPredict(maxOutput).setCachePrompt(true);
        if (settings.temperature() != null) {
            params.setTemperature(settings.temperature().floatValue());
        }
        Instant deadline = settings.timeoutSeconds() > 0 ? clock.instant().plusSeconds(settings.timeoutSeconds())
                : null;
        StringBuilder text = new StringBuilder();
        LlamaIterator tokens = model.generate(params).iterator();
        try {
            while (tokens.hasNext()) {
                // checked here, on the generating thread: the binding's cancel is not safe against a blocked read
                if (cancellation.isCancelled()) {
                    tokens.cancel();
                    throw new CancellationException("the run was cancelled");
                }
                if (deadline != null && clock.instant().isAfter(deadline)) {
                    tokens.cancel();
                    throw new LlmException("local model '" + settings.model() + "' did not finish within "
                            + settings.timeoutSeconds() + " s", true, 504, null);
                }
                LlamaOutput out = tokens.next();
                if (!out.text.isEmpty()) {
                    text.append(out.text);
                    listener.onText(out.text);
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof CancellationException || e instanceof LlmException) {
                throw e;
            }
            throw new LlmException("local model '" + settings.model() + "' failed: " + e.getMessage(), false, 500, e);
        }
        long input = model.encode(prompt).length;
        long output = text.isEmpty() ? 0 : model.encode(text.toString()).length;
        String finish = output >= maxOutput ? "length" : "stop";
        return new LlmResponse(text.toString(), null, List.of(), new TokenUsage(input, output, 0, 0), finish,
                settings.provider(), settings.model());
    }

    /** The loaded model of the id, loading it first if needed; counted as in use until {@link #release}. */
    private Loaded acquire(String modelId) {
        Path file;
        try {
            file = files.apply(modelId);
        } catch (SwitchboardException e) {
            throw new LlmException("local model '" + modelId + "': " + e.getMessage(), false, 404, e);
        }
        synchronized (loading) {
            Loaded current = loaded.get(file);
            if (current == null || current.closing) {
                current = new Loaded(file, load(modelId, file), clock.instant());
                loaded.put(file, current);
            }
            synchronized (current) {
                current.inUse++;
                current.lastUsed = clock.instant();
            }
            return current;
        }
    }

    private void release(Loaded model) {
        synchronized (model) {
            model.inUse--;
            model.lastUsed = clock.instant();
            if (model.closing && model.inUse == 0) {
                close(model);
            }
        }
    }

    private LlamaModel load(String modelId, Path file) {
        try {
            GgufHeader.read(file);
        } catch (GgufHeader.InvalidGgufException e) {
            throw new LlmException("local model '" + modelId + "' is not a valid GGUF model: " + e.getMessage(),
                    false, 400, e);
        } catch (IOException e) {
            throw new LlmException("local model '" + modelId + "' cannot be read: " + e.getMessage(), false, 400, e);
        }
        try {
            quietNativeLog();
            long started = System.nanoTime();
            LlamaModel model = new LlamaModel(new ModelParameters()
                    .setModel(file.toString())
                    .setCtxSize(contextSize(file))
                    .setThreads(Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .setGpuLayers(0)
                    .skipWarmup()
                    .disableLog());
            log.info("Loaded local model {} in {} ms", file.getFileName(), (System.nanoTime() - started) / 1_000_000);
            return model;
        } catch (UnsatisfiedLinkError e) {
            throw new LlmException("the llama.cpp native library cannot load on this machine: " + e.getMessage(),
                    false, 503, e);
        } catch (RuntimeException e) {
            // the binding's LlamaException is package-private: any failure here is llama.cpp refusing the file
            throw new LlmException("llama.cpp could not load local model '" + modelId + "': " + e.getMessage(),
                    false, 400, e);
        }
    }

    private static int contextSize(Path file) {
        try {
            Long trained = GgufHeader.read(file).contextLength();
            return trained == null ? 2048 : (int) Math.min(MAX_CONTEXT, trained);
        } catch (IOException | GgufHeader.InvalidGgufException e) {
            return 2048;
        }
    }

    private void quietNativeLog() {
        if (!nativeReady) {
            // llama.cpp writes a page per load to stderr; it goes to the debug log instead
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> log.debug("llama.cpp {}: {}", level,
                    message.strip()));
            nativeReady = true;
        }
    }

    /** The files of the models in memory now. */
    public List<Path> loaded() {
        return loaded.values().stream().filter(m -> !m.closing).map(m -> m.file).toList();
    }

    /** Unloads the model of that file now, or as soon as its calls under way finish. */
    public void unload(Path file) {
        Loaded model = loaded.remove(file.toAbsolutePath().normalize());
        if (model != null) {
            synchronized (model) {
                model.closing = true;
                if (model.inUse == 0) {
                    close(model);
                }
            }
        }
    }

    private void unloadIdle() {
        Instant limit = clock.instant().minus(idleLimit);
        for (Loaded model : List.copyOf(loaded.values())) {
            boolean idle;
            synchronized (model) {
                idle = model.inUse == 0 && model.lastUsed.isBefore(limit);
            }
            if (idle) {
                log.info("Unloading local model {}, idle since {}", model.file.getFileName(), model.lastUsed);
                unload(model.file);
            }
        }
    }

    private static void close(Loaded model) {
        try {
            model.model.close();
        } catch (RuntimeException e) {
            log.warn("Could not unload local model {}: {}", model.file.getFileName(), e.toString());
        }
    }

    /** Unloads every model; calls under way finish first. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        List.copyOf(loaded.keySet()).forEach(this::unload);
    }
}
