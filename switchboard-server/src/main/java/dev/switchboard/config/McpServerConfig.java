package dev.switchboard.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One MCP server entry as a client sends it to the API: read with the same rules as an agent file's
 * {@code mcpServers} entry, so both accept and refuse the same things.
 */
public final class McpServerConfig {

    /** Server names: they become part of tool names ({@code mcp__<name>__<tool>}), so no odd characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,47}");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private McpServerConfig() {
    }

    /** Checks a server name, naming {@code field} when it is unusable. */
    public static String name(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(field,
                    "must be 1..48 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /**
     * Reads a {@code config} object ({@code type, command, args, env, url, headers, timeout, connectionMode,
     * enabled}).
     *
     * @throws InvalidInputException naming {@code <field>.<key>} when the entry cannot work
     */
    public static McpServerDeclaration fromJson(JsonNode config, String field) {
        if (config == null || !config.isObject()) {
            throw new InvalidInputException(field, "is required and must be an object");
        }
        try {
            return STRICT.treeToValue(config, AgentFile.McpServer.class).toDeclaration();
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(field + "." + e.getPropertyName(), "unknown key (known: type, command, "
                    + "args, env, url, headers, timeout, connectionMode, enabled)");
        } catch (ValueInstantiationException e) {
            String message = e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage();
            String key = message.split("[ ']", 2)[0];
            throw new InvalidInputException(field + "." + key, message);
        } catch (JsonMappingException e) {
            String key = e.getPath().isEmpty() ? "" : "." + e.getPath().getFirst().getFieldName();
            throw new InvalidInputException(field + key, "has the wrong type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(field, e.getOriginalMessage());
        }
    }

    /** The entry as an agent file holds it, defaults left out. */
    static Map<String, Object> toYaml(McpServerDeclaration d) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", d.type());
        if (d.command() != null) {
            entry.put("command", d.command());
        }
        if (!d.args().isEmpty()) {
            entry.put("args", d.args());
        }
        if (!d.env().isEmpty()) {
            entry.put("env", d.env());
        }
        if (d.url() != null) {
            entry.put("url", d.url());
        }
        if (!d.headers().isEmpty()) {
            entry.put("headers", d.headers());
        }
        if (d.timeoutMs() != 30_000) {
            entry.put("timeout", d.timeoutMs());
        }
        entry.put("connectionMode", d.connectionMode());
        if (!d.enabled()) {
            entry.put("enabled", false);
        }
        return entry;
    }
}
