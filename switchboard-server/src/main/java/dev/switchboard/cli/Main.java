package dev.switchboard.cli;

import dev.switchboard.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command line: {@code serve}, {@code chat}, {@code vault}, {@code pair}, {@code models}, {@code version}. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "A self-hosted AI agent server.",
        subcommands = {ServeCommand.class, ChatCommand.class, VaultCommand.class, PairCommand.class, ModelsCommand.class,
                Main.VersionCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int exit = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0 || args.length == 0 || !"serve".equals(args[0])) {
            System.exit(exit);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code switchboard version}. */
    @Command(name = "version", description = "Prints the version.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            System.out.println("switchboard " + Version.current());
        }
    }

    /** Feeds {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"switchboard " + Version.current()};
        }
    }
}
