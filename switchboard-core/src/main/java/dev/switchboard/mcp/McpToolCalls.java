package dev.switchboard.mcp;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls an agent's MCP server tool directly, outside any conversation, for the operator's API routes: the tool
 * is looked up, its arguments are checked against its schema and the server must be connected. Not put to the
 * agent's approval policy: the operator is the person it would ask.
 */
public final class McpToolCalls {

    private static final Pattern REQUIRED = Pattern.compile("required property '([^']+)'");

    private final McpConnections mcp;
    private final ArgumentCheck argumentCheck;

    public McpToolCalls(McpConnections mcp, ArgumentCheck argumentCheck) {
        this.mcp = mcp;
        this.argumentCheck = argumentCheck;
    }

    /**
     * @param tool the tool's own name, or its namespaced one
     * @throws NotFoundException when the agent has no such server or the server no such tool
     * @throws InvalidInputException naming {@code arguments.<path>} when the arguments fail the schema
     * @throws UpstreamException when the server is not connected
     */
    public ToolOutcome call(String ownerId, AgentDefinition agent, String server, String tool, String arguments) {
        McpServerState state = mcp.server(agent.id(), server);
        McpToolInfo info = mcp.toolsOf(agent.id(), server).stream()
                .filter(t -> t.name().equals(tool) || t.qualifiedName().equals(tool))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("tool", tool));
        List<String> problems = argumentCheck.problems(info.inputSchema(), arguments);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(field(problems.getFirst()), String.join("; ", problems));
        }
        if (!state.connected()) {
            throw new UpstreamException("MCP server '" + server + "' is " + state.status()
                    + (state.error() == null ? "" : ": " + state.error()), Map.of("server", server));
        }
        return mcp.call(agent.id(), server, info.name(), arguments, new ToolContext(ownerId, agent.id(), null, null,
                Ids.next("call"), new Cancellation(), agent.workspace(), ToolInteraction.NONE));
    }

    /**
     * {@code arguments.<path>} from a problem such as {@code $.path.to: ...} or {@code /path/to: ...}; a missing
     * required property is named by the property.
     */
    static String field(String problem) {
        int colon = problem.indexOf(": ");
        String location = colon < 0 ? "" : problem.substring(0, colon);
        String path = location.startsWith("$") ? location.substring(1).replaceFirst("^\\.", "")
                : location.startsWith("/") ? location.substring(1).replace('/', '.') : "";
        Matcher required = REQUIRED.matcher(problem);
        if (required.find()) {
            path = path.isEmpty() ? required.group(1) : path + "." + required.group(1);
        }
        return path.isEmpty() ? "arguments" : "arguments." + path;
    }
}
