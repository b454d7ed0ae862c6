package dev.switchboard.tool;

import java.util.List;

/** Checks a tool call's arguments against the tool's JSON Schema before it runs. */
public interface ArgumentCheck {

    /**
     * The problems found, each naming the offending argument ({@code $.path: problem}); empty when the arguments
     * conform. Arguments that are not a JSON object are a problem too.
     */
    List<String> problems(String parametersSchema, String arguments);

    /** Accepts everything, for tests of other parts. */
    ArgumentCheck NONE = (schema, arguments) -> List.of();
}
