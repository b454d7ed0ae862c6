package dev.switchboard.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks tool arguments with the networknt JSON Schema validator: draft 2020-12 unless a schema names its own
 * dialect, and never fetching a remote {@code $ref} (a tool's schema must not make the server call out).
 */
public final class JsonSchemaArguments implements ArgumentCheck {

    private static final Logger LOG = LoggerFactory.getLogger(JsonSchemaArguments.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 2048;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    @Override
    public List<String> problems(String parametersSchema, String arguments) {
        JsonNode instance;
        try {
            instance = arguments == null || arguments.isBlank() ? JSON.createObjectNode() : JSON.readTree(arguments);
        } catch (java.io.IOException e) {
            return List.of("the arguments are not valid JSON");
        }
        if (instance == null || !instance.isObject()) {
            return List.of("the arguments must be a JSON object");
        }
        if (parametersSchema == null || parametersSchema.isBlank()) {
            return List.of();
        }
        Schema schema = schema(parametersSchema);
        if (schema == null) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            // a problem of the whole object has an empty location: say just the problem
            String problem = error.toString();
            problems.add(problem.startsWith(": ") ? problem.substring(2) : problem);
        }
        return problems;
    }

    /** The compiled schema, or null when the tool's schema itself is broken (the call then goes unchecked). */
    private Schema schema(String text) {
        Schema cached = compiled.get(text);
        if (cached != null) {
            return cached;
        }
        Schema schema;
        try {
            schema = registry.getSchema(JSON.readTree(text));
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warn("A tool's parameter schema cannot be compiled; its calls go unchecked: {}", e.toString());
            return null;
        }
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        compiled.put(text, schema);
        return schema;
    }
}
