package dev.switchboard.tool;

import dev.switchboard.llm.ToolSpec;

/** Something an agent can do besides talking: a built-in function or an MCP server's tool. */
public interface Tool {

    /** The name, description and JSON Schema the model sees. */
    ToolSpec spec();

    /** How careful the server must be before running it; decides, with the agent's permissions, who is asked. */
    default ToolRisk risk() {
        return ToolRisk.ACTS;
    }

    /** Where the tool comes from, for listings and for the events of its calls. */
    default ToolOrigin origin() {
        return ToolOrigin.internal(spec().name());
    }

    /**
     * Runs the tool with arguments already checked against its schema. A failure the model should hear about is
     * returned as {@link ToolOutcome#failure}; an exception thrown here is turned into one by the run.
     *
     * @param arguments the model's arguments as JSON text
     */
    ToolOutcome execute(String arguments, ToolContext context);
}
