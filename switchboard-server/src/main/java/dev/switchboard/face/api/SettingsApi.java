package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.user.UserStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003's server-wide settings ({@code /api/settings/global}: a JSON object clients keep their preferences in,
 * never secrets) and its 3D asset listings, served from the home's {@code assets/model-packs/},
 * {@code assets/scenes/} and {@code assets/environment-packs/} folders: each {@code <id>.json} file there is one
 * entry.
 */
public final class SettingsApi {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsApi.class);
    static final String GLOBAL = "global.settings";
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    /** Names that announce a secret: those go to the vault, not into settings every user can read. */
    private static final Pattern SECRET = Pattern.compile("(?i).*(api[_-]?key|secret|password|token|credential).*");
    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern ASSET_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\.json");

    private final UserStore settings;
    private final Path assetsDir;
    private final AuditLog audit;
    private final Clock clock;

    public SettingsApi(UserStore settings, Path assetsDir, AuditLog audit, Clock clock) {
        this.settings = settings;
        this.assetsDir = assetsDir;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get("/api/settings/global", ctx -> ctx.json(current()))
                .get("/api/model-packs", ctx -> ctx.json(assets("model-packs")))
                .get("/api/scenes", ctx -> ctx.json(assets("scenes")))
                .get("/api/environment-packs", ctx -> ctx.json(assets("environment-packs")));
        routes.admin().put("/api/settings/global", this::update);
    }

    private ObjectNode current() {
        return settings.setting(GLOBAL).map(text -> {
            try {
                return (ObjectNode) Json.MAPPER.readTree(text);
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException("The stored global settings are unreadable", e);
            }
        }).orElseGet(Json::object);
    }

    /** Merges the body's keys into the settings; a null value removes a key. */
    private void update(Context ctx) {
        ObjectNode patch = Body.of(ctx).node();
        if (patch.isEmpty()) {
            throw new InvalidInputException("body", "name at least one setting");
        }
        ObjectNode merged = current().deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (!KEY.matcher(key).matches()) {
                throw new InvalidInputException(key, "a setting's name is 1 to 64 letters, digits, '_', '.' or '-', "
                        + "starting with a letter");
            }
            if (SECRET.matcher(key).matches()) {
                throw new InvalidInputException(key, "looks like a secret; settings are readable by every user, so "
                        + "keep secrets in the vault (POST /api/vault) and name them here by reference");
            }
            if (field.getValue().isNull()) {
                merged.remove(key);
            } else {
                merged.set(key, field.getValue());
            }
        }
        String text = Json.write(merged);
        if (text.length() > MAX_BYTES) {
            throw new InvalidInputException("body", "the settings may take at most " + MAX_BYTES + " bytes");
        }
        settings.putSetting(GLOBAL, text, clock.instant());
        audit.record(AuditEvent.of("settings.global.update", Owner.of(ctx), "settings", null, "success",
                Map.of("keys", String.join(",", iterable(patch.fieldNames())))).withIp(ClientAddress.of(ctx)));
        ctx.json(merged);
    }

    /** The entries of one asset folder, by file name; a file that is not a JSON object is skipped and logged. */
    private ArrayNode assets(String kind) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        Path dir = assetsDir.resolve(kind);
        if (!Files.isDirectory(dir)) {
            return list;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(p -> ASSET_FILE.matcher(p.getFileName().toString()).matches()).sorted()
                    .toList()) {
                try {
                    JsonNode entry = Json.MAPPER.readTree(file.toFile());
                    if (!(entry instanceof ObjectNode object)) {
                        LOG.warn("Skipping {}: not a JSON object", file);
                        continue;
                    }
                    ObjectNode shown = Json.object().put("id", file.getFileName().toString().replaceFirst(
                            "\\.json$", ""));
                    shown.setAll(object);
                    list.add(shown);
                } catch (IOException e) {
                    LOG.warn("Skipping {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot list " + dir, e);
        }
        return list;
    }

    private static Iterable<String> iterable(Iterator<String> names) {
        return () -> names;
    }
}
