package dev.switchboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads {@code switchboard.yml}, resolving {@code $ENV} references in the database password. */
public final class ServerConfigFile {

    private ServerConfigFile() {
    }

    public static ServerConfig load(Path file, Map<String, String> env) {
        if (!Files.exists(file)) {
            return ServerConfig.defaults();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (text.isBlank()) {
            return ServerConfig.defaults();
        }
        ServerConfig config = YamlFiles.read(file.getFileName().toString(), text, ServerConfig.class);
        ServerConfig.Database db = config.database();
        if (db.password() != null) {
            db = new ServerConfig.Database(db.url(), db.user(), FileAgentCatalog.expand(db.password(), env));
        }
        return new ServerConfig(config.host(), config.port(), db, config.limits(), config.tools(),
                config.mcpServer(), config.auth(), config.passkeys());
    }
}
