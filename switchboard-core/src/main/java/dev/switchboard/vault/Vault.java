package dev.switchboard.vault;

import dev.switchboard.Ids;
import dev.switchboard.approval.ToolPolicy;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Each owner's secrets, sealed with envelope encryption: a value is encrypted (AES-256-GCM) with its owner's data
 * key, and the data key is stored only wrapped by the master key. A value goes in through {@link #create} or
 * {@link #rotate} and comes out only through {@link #readForAgent}, which checks the entry's allowed agents,
 * allowed consumers and expiry and writes every read, granted or refused, to the audit log.
 */
public final class Vault {

    /** Entry names: what {@code $VAULT:name} references use. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    static final int MAX_VALUE = 65_536;
    static final int MAX_DESCRIPTION = 1_000;
    static final int MAX_LIST = 100;
    static final int MAX_LIST_ITEM = 200;

    private final VaultStore store;
    private final MasterKey master;
    private final String keyCheck;
    private final AuditLog audit;
    private final Clock clock;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private Vault(VaultStore store, MasterKey master, String keyCheck, AuditLog audit, Clock clock) {
        this.store = store;
        this.master = master;
        this.keyCheck = keyCheck;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new entry as a client gives it. */
    public record Draft(String name, String value, String description, List<String> allowedAgents,
            List<String> allowedTools, Instant expiresAt) {
    }

    /**
     * Changes to an entry's metadata: a null field stays as it is; an empty {@code Optional} clears the field. The
     * value is not among them: a new value is a rotation.
     */
    public record Changes(String name, Optional<String> description, List<String> allowedAgents,
            List<String> allowedTools, Optional<Instant> expiresAt) {
    }

    /**
     * Opens the vault with {@code master}: on the first start stores the key's check value; afterwards refuses a
     * key that is not the one the data was sealed under, before anything is written.
     *
     * @param keySource where the key came from, named in the error
     * @throws IllegalStateException when the key is not the vault's
     */
    public static Vault open(VaultStore store, MasterKey master, String keySource, AuditLog audit, Clock clock) {
        Optional<String> stored = store.keyCheck();
        if (stored.isEmpty()) {
            String fresh = master.keyCheck();
            stored = store.initializeKeyCheck(fresh, clock.instant()) ? Optional.of(fresh) : store.keyCheck();
        }
        String check = stored.orElseThrow(() -> new IllegalStateException("The vault's key check vanished"));
        if (!master.opens(check)) {
            throw new IllegalStateException("The vault's master key from " + keySource + " is not the key its "
                    + "secrets were sealed with (the key check stored in the database does not open with it). "
                    + "Start with the right key: set SWITCHBOARD_MASTER_KEY or restore the key file. Nothing was "
                    + "written.");
        }
        return new Vault(store, master, check, audit, clock);
    }

    /** Calls {@code listener} with the owner id after every change to one of that owner's entries. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Stores a new secret; the value is sealed at once and never shown again. */
    public VaultEntry create(String actorId, String ownerId, Draft draft) {
        String name = name(draft.name(), "name");
        String value = value(draft.value());
        Instant now = now();
        VaultEntry entry = new VaultEntry(Ids.next("vlt"), ownerId, name, description(draft.description()),
                hint(value), list(draft.allowedAgents(), "allowedAgents"), list(draft.allowedTools(), "allowedTools"),
                expiry(draft.expiresAt(), now), 1, now, now, null);
        if (store.findByName(ownerId, name).isPresent()) {
            throw nameTaken(name);
        }
        store.insert(entry, dataKey(ownerId, true).seal(value, ownerId, entry.id(), entry.version()));
        record("vault.create", actorId, entry, "success", Map.of());
        return entry;
    }

    /** The owner's entries, by name. */
    public List<VaultEntry> list(String ownerId) {
        return store.list(ownerId);
    }

    /** @throws NotFoundException when the owner has no such entry (another owner's entry included) */
    public VaultEntry get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("vault entry", id));
    }

    /** The owner's entry of that name, without reading its value. */
    public Optional<VaultEntry> findByName(String ownerId, String name) {
        return store.findByName(ownerId, name).map(VaultStore.Sealed::entry);
    }

    /** Changes an entry's metadata; the value and its version stay. */
    public VaultEntry update(String actorId, String ownerId, String id, Changes changes) {
        VaultEntry old = get(ownerId, id);
        Instant now = now();
        String name = changes.name() == null ? old.name() : name(changes.name(), "name");
        String description = changes.description() == null ? old.description()
                : description(changes.description().orElse(null));
        List<String> agents = changes.allowedAgents() == null ? old.allowedAgents()
                : list(changes.allowedAgents(), "allowedAgents");
        List<String> tools = changes.allowedTools() == null ? old.allowedTools()
                : list(changes.allowedTools(), "allowedTools");
        Instant expiresAt = changes.expiresAt() == null ? old.expiresAt()
                : expiry(changes.expiresAt().orElse(null), now);
        if (!name.equals(old.name()) && store.findByName(ownerId, name).isPresent()) {
            throw nameTaken(name);
        }
        VaultEntry updated = new VaultEntry(old.id(), ownerId, name, description, old.hint(), agents, tools,
                expiresAt, old.version(), old.createdAt(), now, old.rotatedAt());
        if (!store.update(updated)) {
            throw new NotFoundException("vault entry", id);
        }
        Map<String, String> details = new LinkedHashMap<>();
        if (!name.equals(old.name())) {
            details.put("previousName", old.name());
        }
        record("vault.update", actorId, updated, "success", details);
        return updated;
    }

    /**
     * Replaces the value with a new one (the credential was renewed where it comes from): the version goes up by
     * one, {@code rotatedAt} is set, and the old value is overwritten, so nothing can read it any more. Agents that
     * refer to the entry use the new value from their next use on.
     */
    public VaultEntry rotate(String actorId, String ownerId, String id, String newValue) {
        String value = value(newValue);
        VaultEntry old = get(ownerId, id);
        Instant now = now();
        VaultEntry rotated = new VaultEntry(old.id(), ownerId, old.name(), old.description(), hint(value),
                old.allowedAgents(), old.allowedTools(), old.expiresAt(), old.version() + 1, old.createdAt(), now, now);
        String sealed = dataKey(ownerId, true).seal(value, ownerId, id, rotated.version());
        if (!store.replaceValue(rotated, sealed, old.version())) {
            throw new ConflictException("Vault entry '" + old.name() + "' changed while it was being rotated; "
                    + "try again", Map.of("id", id));
        }
        record("vault.rotate", actorId, rotated, "success", Map.of("version", String.valueOf(rotated.version())));
        return rotated;
    }

    public void delete(String actorId, String ownerId, String id) {
        VaultEntry entry = get(ownerId, id);
        if (!store.delete(ownerId, id)) {
            throw new NotFoundException("vault entry", id);
        }
        record("vault.delete", actorId, entry, "success", Map.of());
    }

    /**
     * The value of the owner's entry {@code name}, for agent {@code agentId} using it as {@code consumer}; the only
     * way a value leaves the vault. Every call is audited, whether the read is granted or refused.
     *
     * @param consumer what uses the value: {@code llm} for the agent's model calls, {@code mcp__<server>} for an MCP
     *     server's env and headers, or a tool's name; matched against the entry's {@code allowedTools}
     * @param purpose why, for the audit log (such as {@code llm.apiKey})
     * @throws NotFoundException when the owner has no such entry
     * @throws ForbiddenException when the entry has expired or does not allow this agent or consumer
     */
    public String readForAgent(String ownerId, String name, String agentId, String consumer, String purpose) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("owner", ownerId);
        details.put("name", name);
        details.put("agentId", agentId);
        details.put("consumer", consumer == null ? "" : consumer);
        details.put("purpose", purpose == null ? "" : purpose);
        String actor = "agent:" + agentId;
        Optional<VaultStore.Sealed> found = store.findByName(ownerId, name);
        if (found.isEmpty()) {
            details.put("reason", "not_found");
            audit.record(AuditEvent.of("vault.read", actor, "vault_entry", name, "failure", details));
            throw new NotFoundException("vault entry", name);
        }
        VaultEntry entry = found.get().entry();
        String refusal = refusal(entry, agentId, consumer);
        if (refusal != null) {
            details.put("reason", refusal);
            audit.record(AuditEvent.of("vault.read", actor, "vault_entry", entry.id(), "denied", details));
            throw new ForbiddenException("Vault entry '" + name + "' may not be read by agent '" + agentId + "' as '"
                    + consumer + "': " + refusal.replace('_', ' '), Map.of("name", name, "agentId", agentId,
                    "reason", refusal));
        }
        String value;
        try {
            value = dataKey(ownerId, false).open(found.get().value(), ownerId, entry.id(), entry.version());
        } catch (Aead.SealBroken e) {
            details.put("reason", "does_not_open");
            audit.record(AuditEvent.of("vault.read", actor, "vault_entry", entry.id(), "failure", details));
            throw new IllegalStateException("Vault entry '" + name + "' does not open with its owner's data key");
        }
        details.put("version", String.valueOf(entry.version()));
        audit.record(AuditEvent.of("vault.read", actor, "vault_entry", entry.id(), "success", details));
        return value;
    }

    /**
     * Wraps every owner's data key under {@code next} and stores {@code next}'s check value, in one transaction. The
     * values stay as they are (they are sealed with the data keys). This vault object keeps the old key: a process
     * that rotates must start again with the new one.
     *
     * @return how many data keys were re-wrapped
     */
    public int rotateMasterKey(String actorId, MasterKey next) {
        int count = store.rewrapDataKeys(keyCheck, next.keyCheck(),
                (ownerId, wrapped) -> next.wrap(unwrap(wrapped, ownerId), ownerId), clock.instant());
        audit.record(AuditEvent.of("vault.master_key.rotate", actorId, "vault", "master_key", "success",
                Map.of("dataKeys", String.valueOf(count))));
        return count;
    }

    /**
     * A 256-bit key for the server's own sealing of {@code purpose} (TOTP secrets, say), kept like an owner's data
     * key (wrapped by the master key, under the owner id {@code system:<purpose>}) so that a master key rotation
     * covers it too. Created on first use.
     */
    public byte[] purposeKey(String purpose) {
        return dataKey("system:" + purpose, true).bytes();
    }

    /**
     * The value masked for display: its first 5 and last 4 characters when it has at least 16, else {@code ****};
     * short values would give too much of themselves away.
     */
    public static String hint(String value) {
        if (value == null || value.length() < 16) {
            return "****";
        }
        return value.substring(0, 5) + "..." + value.substring(value.length() - 4);
    }

    /** Why the read is refused, as a reason code, or null when it is allowed. */
    private String refusal(VaultEntry entry, String agentId, String consumer) {
        if (entry.expired(clock.instant())) {
            return "expired";
        }
        if (!entry.allowedAgents().isEmpty() && !entry.allowedAgents().contains(agentId)) {
            return "agent_not_allowed";
        }
        if (!entry.allowedTools().isEmpty() && (consumer == null
                || entry.allowedTools().stream().noneMatch(pattern -> ToolPolicy.matches(pattern, consumer)))) {
            return "tool_not_allowed";
        }
        return null;
    }

    /** Stored times have millisecond precision; what this returns equals what a later read gives. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private DataKey dataKey(String ownerId, boolean create) {
        Optional<String> wrapped = store.dataKey(ownerId);
        if (wrapped.isEmpty()) {
            if (!create) {
                throw new IllegalStateException("Owner '" + ownerId + "' has entries but no data key");
            }
            DataKey fresh = DataKey.generate();
            return unwrap(store.addDataKey(ownerId, master.wrap(fresh, ownerId), keyCheck, clock.instant()), ownerId);
        }
        return unwrap(wrapped.get(), ownerId);
    }

    private DataKey unwrap(String wrapped, String ownerId) {
        try {
            return master.unwrap(wrapped, ownerId);
        } catch (Aead.SealBroken e) {
            throw new IllegalStateException("The data key of owner '" + ownerId + "' does not open with this "
                    + "process's master key; was the master key rotated while it ran? Start it again.");
        }
    }

    /** Audits a change and tells the listeners. */
    private void record(String type, String actorId, VaultEntry entry, String outcome, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("owner", entry.ownerId());
        details.put("name", entry.name());
        details.putAll(extra);
        audit.record(AuditEvent.of(type, actorId, "vault_entry", entry.id(), outcome, details));
        listeners.forEach(listener -> listener.accept(entry.ownerId()));
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("A vault entry named '" + name + "' exists already", Map.of("name", name));
    }

    private static String name(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(field, "must be 1..100 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    private static String value(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("value", "is required and must be a non-empty string");
        }
        if (value.length() > MAX_VALUE) {
            throw new InvalidInputException("value", "must be at most " + MAX_VALUE + " characters");
        }
        return value;
    }

    private static String description(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        return description == null || description.isBlank() ? null : description;
    }

    private static List<String> list(List<String> items, String field) {
        if (items == null) {
            return List.of();
        }
        if (items.size() > MAX_LIST) {
            throw new InvalidInputException(field, "must have at most " + MAX_LIST + " items");
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            if (item == null || item.isBlank() || item.length() > MAX_LIST_ITEM) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a non-empty string of at most "
                        + MAX_LIST_ITEM + " characters");
            }
            if (!checked.contains(item.strip())) {
                checked.add(item.strip());
            }
        }
        return checked;
    }

    private static Instant expiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidInputException("expiresAt", "must be in the future");
        }
        return expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
