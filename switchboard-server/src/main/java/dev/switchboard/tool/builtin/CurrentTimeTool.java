package dev.switchboard.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** {@code current_time}: the date and time now, in a time zone the model names. */
public final class CurrentTimeTool implements Tool {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ToolSpec SPEC = new ToolSpec("current_time",
            "Returns the current date and time. Use it whenever the answer depends on today's date or the time.",
            """
            {"type":"object","properties":{"timezone":{"type":"string",\
            "description":"IANA time zone such as Europe/Paris; UTC when omitted"}},"additionalProperties":false}""");

    private final Clock clock;

    public CurrentTimeTool(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolRisk risk() {
        return ToolRisk.READS;
    }

    @Override
    public ToolOutcome execute(String arguments, ToolContext context) {
        String zone = "UTC";
        try {
            JsonNode args = arguments == null || arguments.isBlank() ? JSON.createObjectNode() : JSON.readTree(arguments);
            if (!args.isObject()) {
                return ToolOutcome.failure("arguments must be a JSON object");
            }
            if (args.hasNonNull("timezone")) {
                if (!args.get("timezone").isTextual()) {
                    return ToolOutcome.failure("timezone must be a string");
                }
                zone = args.get("timezone").asText();
            }
            ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.of(zone)));
            return ToolOutcome.success(now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + zone + ", "
                    + now.getDayOfWeek() + ")");
        } catch (DateTimeException e) {
            return ToolOutcome.failure("unknown time zone '" + zone + "'");
        } catch (java.io.IOException e) {
            return ToolOutcome.failure("arguments are not valid JSON");
        }
    }
}
