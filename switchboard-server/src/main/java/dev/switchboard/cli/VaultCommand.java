package dev.switchboard.cli;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.server.MasterKeyRotation;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard vault ...}: maintenance of the vault that needs no running server. */
@Command(name = "vault", description = "Maintains the vault of secrets.",
        subcommands = {VaultCommand.RotateMasterKey.class})
final class VaultCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code switchboard vault rotate-master-key}. */
    @Command(name = "rotate-master-key", description = {
            "Re-wraps every data key of the vault under a new master key, in one transaction. Stop the server first.",
            "With the key file (<home>/secrets/master.key) the new key is generated (or taken from "
                    + "SWITCHBOARD_NEW_MASTER_KEY) and replaces the file.",
            "With SWITCHBOARD_MASTER_KEY, set SWITCHBOARD_NEW_MASTER_KEY to the new key and start the server with it "
                    + "afterwards."})
    static final class RotateMasterKey implements Callable<Integer> {

        @Option(names = "--home", description = "Home folder (default $SWITCHBOARD_HOME, else ~/.switchboard).")
        Path home;

        @Override
        public Integer call() {
            Map<String, String> env = System.getenv();
            Home resolved = Home.resolve(home, env);
            try {
                ServerConfig config = ServerConfigFile.load(resolved.configFile(), env);
                MasterKeyRotation.rotate(resolved, config, env, System.out);
                return 0;
            } catch (ConfigException | IllegalStateException e) {
                System.err.println("switchboard: " + e.getMessage());
                return 2;
            }
        }
    }
}
