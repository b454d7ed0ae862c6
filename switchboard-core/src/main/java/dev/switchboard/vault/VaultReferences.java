package dev.switchboard.vault;

import java.util.Optional;

/**
 * {@link SecretReferences} over the {@link Vault}: a reference made while an agent works for a user is looked up in
 * that user's vault first, then in the operator's; one made for everyone (an MCP server's connection) only in the
 * operator's. Agent files are the operator's configuration, so the operator's vault is where their secrets live;
 * a user may shadow an entry with one of the same name in their own vault, which only their own runs then use.
 */
public final class VaultReferences implements SecretReferences {

    private final Vault vault;
    private final String operatorId;

    /** @param operatorId the owner id of the operator's vault */
    public VaultReferences(Vault vault, String operatorId) {
        this.vault = vault;
        this.operatorId = operatorId;
    }

    @Override
    public String read(String name, Use use) {
        String owner = operatorId;
        if (use.onBehalfOf() != null && !use.onBehalfOf().equals(operatorId)) {
            Optional<VaultEntry> own = vault.findByName(use.onBehalfOf(), name);
            if (own.isPresent()) {
                owner = use.onBehalfOf();
            }
        }
        return vault.readForAgent(owner, name, use.agentId(), use.consumer(), use.purpose());
    }
}
