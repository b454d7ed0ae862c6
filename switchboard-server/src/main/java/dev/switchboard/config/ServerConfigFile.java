package dev.switchboard.config;

import dev.switchboard.vault.SecretReferences;
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
        ServerConfig.Embeddings embeddings = config.embeddings();
        if (embeddings.apiKey() != null && SecretReferences.referencedName(embeddings.apiKey()) == null) {
            // a $VAULT: reference is read at each call; an environment reference now, as the database's password
            String key = FileAgentCatalog.expand(embeddings.apiKey(), env);
            if (key == null) {
                throw new IllegalArgumentException("embeddings.apiKey refers to " + embeddings.apiKey().strip()
                        + ", which is not set");
            }
            embeddings = embeddings.withApiKey(key);
        }
        ServerConfig.Speech speech = config.speech();
        speech = speech.withEndpoints(expandKey(speech.transcription(), "speech.transcription.apiKey", env),
                expandKey(speech.tts(), "speech.tts.apiKey", env));
        return config.withDatabase(db).withEmbeddings(embeddings).withSpeech(speech);
    }

    /** An audio endpoint with its environment reference read now; a {@code $VAULT:} one is read at each call. */
    private static ServerConfig.SpeechEndpoint expandKey(ServerConfig.SpeechEndpoint endpoint, String name,
            Map<String, String> env) {
        if (endpoint == null || endpoint.apiKey() == null
                || SecretReferences.referencedName(endpoint.apiKey()) != null) {
            return endpoint;
        }
        String key = FileAgentCatalog.expand(endpoint.apiKey(), env);
        if (key == null) {
            throw new IllegalArgumentException(name + " refers to " + endpoint.apiKey() + ", which is not set");
        }
        return endpoint.withApiKey(key);
    }
}
