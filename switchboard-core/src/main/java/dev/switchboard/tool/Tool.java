package dev.switchboard.tool;

import dev.switchboard.llm.ToolSpec;

/** Something an agent can do besides talking: a built-in function, later an MCP server's tool. */
public interface Tool {

    /** The name, description and JSON Schema the model sees. */
    ToolSpec spec();

    /**
     * Runs the tool. A failure the model should hear about is returned as {@link ToolOutcome#failure};
     * an exception thrown here is turned into one by the run.
     *
     * @param arguments the model's arguments as JSON text
     */
    ToolOutcome execute(String arguments, ToolContext context);
}
