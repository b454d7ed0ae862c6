package dev.switchboard.vault;

import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.llm.Providers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The providers' API keys an admin stores for the whole server (seed 004 {@code /api/llm/key}): entries
 * {@code llm.<provider>} in the operator's vault, readable only by model calls ({@code allowedTools: [llm]}).
 * A stored key wins over the provider's environment variable, since storing it is the later, deliberate act.
 */
public final class ProviderKeys {

    /**
     * What a client may know about a provider's key.
     *
     * @param keyValue the key masked, or null when there is none
     * @param source {@code vault}, {@code environment}, or null when there is no key
     */
    public record Status(String provider, String envVar, boolean hasKey, String keyValue, String source) {
    }

    private final Vault vault;
    private final String operatorId;
    private final Map<String, String> env;

    public ProviderKeys(Vault vault, String operatorId, Map<String, String> env) {
        this.vault = vault;
        this.operatorId = operatorId;
        this.env = Map.copyOf(env);
    }

    /** @throws InvalidInputException naming {@code provider} when it is not one keys can be stored for */
    public static String checkProvider(String provider) {
        if (provider == null || !Providers.KEY_VARIABLES.containsKey(provider)) {
            throw new InvalidInputException("provider", "must be one of "
                    + String.join(", ", Providers.KEY_VARIABLES.keySet()));
        }
        return provider;
    }

    public Status status(String provider) {
        checkProvider(provider);
        String variable = Providers.KEY_VARIABLES.get(provider);
        Optional<VaultEntry> stored = vault.findByName(operatorId, Providers.keyEntryName(provider));
        if (stored.isPresent()) {
            return new Status(provider, variable, true, stored.get().hint(), "vault");
        }
        if (Providers.GOOGLE.equals(provider) && blank(env.get(variable)) && !blank(env.get("GEMINI_API_KEY"))) {
            variable = "GEMINI_API_KEY";
        }
        String fromEnv = env.get(variable);
        return blank(fromEnv) ? new Status(provider, variable, false, null, null)
                : new Status(provider, variable, true, Vault.hint(fromEnv.strip()), "environment");
    }

    /** Stores the key: a new entry, or a rotation of the one there. */
    public Status set(String actorId, String provider, String key) {
        checkProvider(provider);
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("apiKey", "is required and must be a non-empty string");
        }
        String name = Providers.keyEntryName(provider);
        Optional<VaultEntry> existing = vault.findByName(operatorId, name);
        if (existing.isPresent()) {
            vault.rotate(actorId, operatorId, existing.get().id(), key.strip());
        } else {
            vault.create(actorId, operatorId, new Vault.Draft(name, key.strip(), "API key of provider " + provider,
                    List.of(), List.of("llm"), null));
        }
        return status(provider);
    }

    /** The providers with a key in the vault. */
    public Set<String> stored() {
        Set<String> providers = new TreeSet<>();
        for (VaultEntry entry : vault.list(operatorId)) {
            String name = entry.name();
            if (name.startsWith("llm.") && Providers.KEY_VARIABLES.containsKey(name.substring(4))) {
                providers.add(name.substring(4));
            }
        }
        return providers;
    }

    /**
     * Calls {@code listener} with {@link #stored()} whenever the operator's vault changes: a key stored here, or an
     * {@code llm.<provider>} entry renamed or deleted through the vault's own routes.
     */
    public void onChange(Consumer<Set<String>> listener) {
        vault.onChange(owner -> {
            if (owner.equals(operatorId)) {
                listener.accept(stored());
            }
        });
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
