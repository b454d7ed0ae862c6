package dev.switchboard.cli;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.model.LocalModels;
import dev.switchboard.model.ModelDownloads;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard models ...}: the GGUF files the {@code local} provider runs, kept in the home's models/. */
@Command(name = "models", description = "Manages the local GGUF models in <home>/models.",
        subcommands = {ModelsCommand.Pull.class, ModelsCommand.ListModels.class})
final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code switchboard models pull <repo-or-url>}. */
    @Command(name = "pull", description = {
            "Downloads a GGUF model into <home>/models: a Hugging Face repository (owner/repo takes its Q4_K_M file, "
                    + "owner/repo/file.gguf names one) or an http(s) URL of a .gguf file.",
            "HF_ENDPOINT names another hub, HF_TOKEN opens gated repositories. Addresses follow the server's "
                    + "tools.httpRequest policy."})
    static final class Pull implements Callable<Integer> {

        @Parameters(paramLabel = "<huggingface-repo-or-url>")
        String source;

        @Option(names = "--force", description = "Replace a model file of the same name.")
        boolean force;

        @Option(names = "--home", description = "Home folder (default $SWITCHBOARD_HOME, else ~/.switchboard).")
        Path home;

        PrintStream out = System.out;
        PrintStream err = System.err;
        Map<String, String> env = System.getenv();

        @Override
        public Integer call() {
            Home resolved = Home.resolve(home, env);
            try {
                ServerConfig config = ServerConfigFile.load(resolved.configFile(), env);
                String endpoint = env.getOrDefault("HF_ENDPOINT", "https://huggingface.co");
                ModelDownloads downloads = new ModelDownloads(new LocalModels(resolved.modelsDir()),
                        config.tools().httpRequest().policy(), URI.create(endpoint), env.get("HF_TOKEN"));
                long[] shown = {0};
                ModelDownloads.Pulled pulled = downloads.pull(source, force, bytes -> {
                    if (bytes - shown[0] >= 64L << 20) {
                        shown[0] = bytes;
                        err.printf("  %d MiB%n", bytes >> 20);
                    }
                });
                out.printf("Pulled %s (%d bytes, %s, %d tensors) into %s%n", pulled.id(), pulled.sizeBytes(),
                        pulled.header().architecture(), pulled.header().tensorCount(), pulled.file());
                out.printf("Use it in an agent file with  llm: {provider: local, model: %s}%n", pulled.id());
                return 0;
            } catch (SwitchboardException | ConfigException | IllegalArgumentException e) {
                err.println("switchboard: " + e.getMessage());
                return 1;
            }
        }
    }

    /** {@code switchboard models list}. */
    @Command(name = "list", description = "Lists the GGUF models in <home>/models.")
    static final class ListModels implements Callable<Integer> {

        @Option(names = "--home", description = "Home folder (default $SWITCHBOARD_HOME, else ~/.switchboard).")
        Path home;

        @Override
        public Integer call() {
            Home resolved = Home.resolve(home, System.getenv());
            for (LocalModels.LocalModel m : new LocalModels(resolved.modelsDir()).list()) {
                System.out.printf("%-40s %12d  %s%n", m.id(), m.sizeBytes(),
                        m.valid() ? m.header().orElseThrow().architecture() : "invalid: " + m.error());
            }
            return 0;
        }
    }
}
