package dev.switchboard.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.event.EventPayload;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.session.Message;
import dev.switchboard.tool.JsonSchemaArguments;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Calls built-in tools the way a run does: arguments checked against the schema first, then executed. */
final class ToolCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaArguments CHECK = new JsonSchemaArguments();

    private ToolCalls() {
    }

    static ToolContext context(Path workspace) {
        return context(workspace, new Interaction(question -> ApprovalDecision.denied("nobody")), new Cancellation());
    }

    static ToolContext context(Path workspace, ToolInteraction interaction, Cancellation cancellation) {
        return new ToolContext("owner", "agent", "session", "run", "call", cancellation, workspace, interaction);
    }

    /** Runs the tool with arguments the schema accepts (the test fails if it does not). */
    static ToolOutcome call(Tool tool, ToolContext context, Object... keysAndValues) {
        String arguments = json(keysAndValues);
        assertThat(CHECK.problems(tool.spec().parametersSchema(), arguments))
                .as("schema check of %s", arguments).isEmpty();
        return tool.execute(arguments, context);
    }

    /** The problems the run would find in these arguments before running the tool. */
    static List<String> schemaProblems(Tool tool, Object... keysAndValues) {
        return CHECK.problems(tool.spec().parametersSchema(), json(keysAndValues));
    }

    static String json(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A person who answers questions with a scripted decision; records what was asked and published. */
    static final class Interaction implements ToolInteraction {
        final List<String> questions = new CopyOnWriteArrayList<>();
        final List<Map<String, Object>> schemas = new CopyOnWriteArrayList<>();
        final List<EventPayload> published = new CopyOnWriteArrayList<>();
        private final Function<String, ApprovalDecision> answer;

        Interaction(Function<String, ApprovalDecision> answer) {
            this.answer = answer;
        }

        @Override
        public ApprovalDecision elicit(String message, Map<String, Object> requestedSchema,
                Map<String, Object> metadata) {
            questions.add(message);
            schemas.add(requestedSchema);
            return answer.apply(message);
        }

        @Override
        public void publish(EventPayload payload) {
            published.add(payload);
        }

        @Override
        public LlmResponse sample(String server, String systemPrompt, List<Message> messages, Integer maxTokens) {
            throw new IllegalStateException("no model here");
        }

        List<EventPayload> published() {
            return new ArrayList<>(published);
        }
    }
}
