package dev.switchboard.tool.builtin;

import dev.switchboard.llm.ToolSpec;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.io.UncheckedIOException;

/**
 * The frame of the built-in tools: parses the arguments and turns a {@link ToolFailure} into the failure the
 * model hears, so that each tool only says what it does.
 */
abstract class BuiltInTool implements Tool {

    private final ToolSpec spec;
    private final ToolRisk risk;

    BuiltInTool(String name, ToolRisk risk, String description, String parametersSchema) {
        this.spec = new ToolSpec(name, description, parametersSchema);
        this.risk = risk;
    }

    @Override
    public final ToolSpec spec() {
        return spec;
    }

    @Override
    public final ToolRisk risk() {
        return risk;
    }

    @Override
    public final ToolOutcome execute(String arguments, ToolContext context) {
        try {
            return run(Arguments.parse(arguments), context);
        } catch (ToolFailure e) {
            return ToolOutcome.failure(e.getMessage());
        } catch (UncheckedIOException e) {
            return ToolOutcome.failure(e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    abstract ToolOutcome run(Arguments arguments, ToolContext context);
}
