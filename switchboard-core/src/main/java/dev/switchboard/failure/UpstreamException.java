package dev.switchboard.failure;

import java.util.Map;

/** Something the server depends on, such as an MCP server, failed or is not reachable now. */
public final class UpstreamException extends SwitchboardException {

    public UpstreamException(String message, Map<String, Object> details) {
        super("upstream_error", message, details);
    }
}
