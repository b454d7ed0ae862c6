package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.config.FileAgentCatalog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.face.api.Json;
import dev.switchboard.identity.Accounts;
import dev.switchboard.run.RunEngine;
import dev.switchboard.user.Principal;
import dev.switchboard.user.UserStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server-wide settings a remote client may read and an administrator may change: a typed whitelist of those
 * that change behaviour at once. Values persist in the {@code settings} table.
 *
 * <ul>
 *   <li>{@code defaultAgentId} (string): the agent a request that names none talks to; must name an agent.</li>
 *   <li>{@code registrationOpen} (boolean): whether anyone may create an account.</li>
 * </ul>
 * Read-only: {@code emergencyStopActive} (whether an emergency stop holds the queues) and {@code agents}.
 */
public final class RemoteSettings {

    static final String DEFAULT_AGENT = "remote.defaultAgentId";
    static final List<String> WRITABLE = List.of("defaultAgentId", "registrationOpen");

    private final UserStore users;
    private final FileAgentCatalog agents;
    private final Accounts accounts;
    private final RunEngine engine;
    private final AuditLog audit;
    private final Clock clock;

    /** Applies the stored settings to the running server. */
    public RemoteSettings(UserStore users, FileAgentCatalog agents, Accounts accounts, RunEngine engine,
            AuditLog audit, Clock clock) {
        this.users = users;
        this.agents = agents;
        this.accounts = accounts;
        this.engine = engine;
        this.audit = audit;
        this.clock = clock;
        users.setting(DEFAULT_AGENT).ifPresent(agents::preferDefault);
    }

    /** Every setting a client may see; none of them is a secret. */
    public ObjectNode current() {
        ObjectNode json = Json.object()
                .put("defaultAgentId", agents.defaultAgentId())
                .put("registrationOpen", accounts.registrationOpen())
                .put("emergencyStopActive", engine.isPaused());
        agents.all().forEach(a -> json.withArray("agents").add(a.id()));
        return json;
    }

    /**
     * Checks every key of {@code patch} first and applies none unless all are valid; the failure names every key
     * at fault in {@code details.fields}.
     */
    public ObjectNode update(ObjectNode patch, Principal by, String address) {
        List<Map<String, Object>> problems = new ArrayList<>();
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        patch.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String problem = switch (key) {
                case "defaultAgentId" -> !value.isTextual() ? "must be a string"
                        : agents.find(value.asText()).isEmpty() ? "no agent named '" + value.asText() + "'" : null;
                case "registrationOpen" -> value.isBoolean() ? null : "must be true or false";
                default -> "unknown setting (writable: " + String.join(", ", WRITABLE) + ")";
            };
            if (problem == null) {
                accepted.put(key, value);
            } else {
                problems.add(Map.of("field", key, "problem", problem));
            }
        });
        if (!problems.isEmpty()) {
            String first = (String) problems.getFirst().get("field");
            throw new InvalidInputException(first, problems.size() == 1 ? first + ": " + problems.getFirst().get("problem")
                    : problems.size() + " settings cannot be applied: " + String.join(", ",
                            problems.stream().map(p -> (String) p.get("field")).toList()), Map.of("fields", problems));
        }
        if (accepted.isEmpty()) {
            throw new InvalidInputException("body", "name at least one setting (writable: " + String.join(", ", WRITABLE)
                    + ")");
        }
        accepted.forEach((key, value) -> {
            switch (key) {
                case "defaultAgentId" -> {
                    users.putSetting(DEFAULT_AGENT, value.asText(), clock.instant());
                    agents.preferDefault(value.asText());
                }
                case "registrationOpen" -> accounts.setRegistrationOpen(value.booleanValue(), by);
                default -> throw new IllegalStateException(key);
            }
        });
        audit.record(AuditEvent.of("settings.update", by.userId(), "settings", null, "success",
                Map.of("keys", String.join(",", accepted.keySet()))).withIp(address));
        return current();
    }
}
