package dev.switchboard.llm.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.userprofile.FactChanges;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the user-profile model's JSON answer; tolerates a Markdown code fence or words around the object, since
 * models add them even when told not to, and skips entries that are not what was asked.
 */
public final class JsonFactChanges implements FactChanges.Reader {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public FactChanges read(String answer) {
        int start = answer.indexOf('{');
        int end = answer.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("The profile model answered without a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(answer.substring(start, end + 1));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The profile model's answer is not valid JSON: "
                    + e.getOriginalMessage());
        }
        List<FactChanges.NewFact> learned = new ArrayList<>();
        for (JsonNode item : root.path("new")) {
            String fact = item.isTextual() ? item.asText() : item.path("fact").asText("");
            if (!fact.isBlank()) {
                learned.add(new FactChanges.NewFact(fact, item.path("confidence").asDouble(0.5)));
            }
        }
        List<FactChanges.Confirmation> confirmed = new ArrayList<>();
        for (JsonNode item : root.path("confirmed")) {
            String id = item.isTextual() ? item.asText() : item.path("id").asText("");
            if (!id.isBlank()) {
                confirmed.add(new FactChanges.Confirmation(id, item.path("confidence").asDouble(0.5)));
            }
        }
        List<String> contradicted = new ArrayList<>();
        for (JsonNode item : root.path("contradicted")) {
            String id = item.isTextual() ? item.asText() : item.path("id").asText("");
            if (!id.isBlank()) {
                contradicted.add(id);
            }
        }
        return new FactChanges(learned, confirmed, contradicted);
    }
}
