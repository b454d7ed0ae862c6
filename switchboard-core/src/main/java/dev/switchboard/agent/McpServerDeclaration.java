package dev.switchboard.agent;

import java.util.List;
import java.util.Map;

/**
 * One MCP server an agent uses.
 *
 * @param type {@code stdio}, {@code sse} or {@code http}
 * @param connectionMode {@code strict} (a failure fails the agent) or {@code lenient}
 */
public record McpServerDeclaration(String type, String command, List<String> args, Map<String, String> env,
        String url, Map<String, String> headers, int timeoutMs, String connectionMode, boolean enabled) {
}
