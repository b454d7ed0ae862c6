package dev.switchboard.cli;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.server.Switchboard;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard serve}: runs the server until it is stopped. */
@Command(name = "serve", description = "Starts the server.")
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--host", description = "Address to bind (default from switchboard.yml, else 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port to listen on (default from switchboard.yml, else 3210).")
    Integer port;

    @Option(names = "--home", description = "Home folder (default $SWITCHBOARD_HOME, else ~/.switchboard).")
    Path home;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = System.getenv();
        Home resolved = Home.resolve(home, env);
        Switchboard server;
        try {
            resolved.initialize();
            ServerConfig config = ServerConfigFile.load(resolved.configFile(), env);
            if (host != null) {
                config = config.withHost(host);
            }
            if (port != null) {
                config = config.withPort(port);
            }
            server = Switchboard.start(resolved, config, env, System.out);
        } catch (ConfigException | IllegalStateException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }
}
