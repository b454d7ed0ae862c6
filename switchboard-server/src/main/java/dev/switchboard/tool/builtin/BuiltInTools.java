package dev.switchboard.tool.builtin;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.tool.Tool;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Every built-in tool, configured; an agent gets the ones its YAML lists under {@code tools:}. */
public final class BuiltInTools {

    private BuiltInTools() {
    }

    /**
     * @param serverEnv the server's environment, of which {@code run_command} passes on only {@code PATH}
     */
    public static List<Tool> all(ServerConfig.Tools settings, Map<String, String> serverEnv, Clock clock) {
        return List.of(
                new CurrentTimeTool(clock),
                new AskUserTool(),
                new TodoWriteTool(),
                new ReadFileTool(),
                new ListFilesTool(),
                new SearchFilesTool(),
                new WriteFileTool(),
                new EditFileTool(),
                new HttpRequestTool(settings.httpRequest()),
                new RunCommandTool(settings.runCommand(), serverEnv));
    }
}
