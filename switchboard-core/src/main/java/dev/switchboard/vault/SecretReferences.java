package dev.switchboard.vault;

import dev.switchboard.failure.NotConfiguredException;
import dev.switchboard.llm.LlmSettings;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the secrets agent configuration refers to with {@code $VAULT:name}, at the moment they are used, so a
 * rotated value takes effect on the next use and every use is an audited read by the agent.
 */
public interface SecretReferences {

    /** A whole value that is one reference: {@code $VAULT:name} or {@code ${VAULT:name}}. */
    Pattern WHOLE = Pattern.compile("^\\$(?:VAULT:([A-Za-z0-9_.-]{1,100})|\\{VAULT:([A-Za-z0-9_.-]{1,100})})$");

    /**
     * Who reads a secret, for what.
     *
     * @param consumer {@code llm} for the agent's model calls, {@code mcp__<server>} for an MCP server's env and
     *     headers; matched against an entry's {@code allowedTools}
     * @param onBehalfOf the user the agent works for at this moment (the session's owner), or null where the use is
     *     shared by every user (an MCP server's connection)
     * @param purpose what the value is for, for the audit log, such as {@code llm.apiKey}
     */
    record Use(String agentId, String consumer, String onBehalfOf, String purpose) {
    }

    /**
     * The value of the entry {@code name} for this use.
     *
     * @throws dev.switchboard.failure.SwitchboardException naming the reference (never a value) when there is no such
     *     entry or the entry refuses this use
     */
    String read(String name, Use use);

    /** The name a whole-value reference refers to, or null when {@code configured} is not one. */
    static String referencedName(String configured) {
        if (configured == null) {
            return null;
        }
        Matcher m = WHOLE.matcher(configured.strip());
        return m.matches() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }

    /** The configured value, or the vault's value when it is a reference. */
    default String resolve(String configured, Use use) {
        String name = referencedName(configured);
        return name == null ? configured : read(name, use);
    }

    /** The agent's model settings for one call, a {@code $VAULT:} API key read now for the user the run is for. */
    default LlmSettings forCall(LlmSettings settings, String agentId, String onBehalfOf) {
        String name = referencedName(settings.apiKey());
        return name == null ? settings
                : settings.withApiKey(read(name, new Use(agentId, "llm", onBehalfOf, "llm.apiKey")));
    }

    /** Where there is no vault: a reference fails with a clear error, other values pass as they are. */
    SecretReferences NONE = (name, use) -> {
        throw new NotConfiguredException("$VAULT:" + name + " cannot be resolved: this process has no vault",
                Map.of("reference", "$VAULT:" + name));
    };
}
