package dev.switchboard.llm.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import org.junit.jupiter.api.Test;

class ToolSchemasTest {

    @Test
    void convertsNestedSchemasWithRequiredEnumsAndDescriptions() {
        JsonObjectSchema schema = ToolSchemas.parse("""
                {"type": "object",
                 "properties": {
                   "city": {"type": "string", "description": "City name"},
                   "days": {"type": "integer"},
                   "ratio": {"type": "number"},
                   "metric": {"type": "boolean"},
                   "unit": {"type": "string", "enum": ["c", "f"], "description": "Unit"},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "where": {"type": "object", "properties": {"lat": {"type": "number"}}, "required": ["lat"]},
                   "note": {"type": ["string", "null"]}
                 },
                 "required": ["city"],
                 "additionalProperties": false}
                """);

        assertThat(schema.required()).containsExactly("city");
        assertThat(schema.additionalProperties()).isFalse();
        assertThat(schema.properties().get("city")).isInstanceOf(JsonStringSchema.class);
        assertThat(schema.properties().get("city").description()).isEqualTo("City name");
        assertThat(schema.properties().get("days")).isInstanceOf(JsonIntegerSchema.class);
        assertThat(schema.properties().get("ratio")).isInstanceOf(JsonNumberSchema.class);
        assertThat(schema.properties().get("metric")).isInstanceOf(JsonBooleanSchema.class);
        assertThat(((JsonEnumSchema) schema.properties().get("unit")).enumValues()).containsExactly("c", "f");
        assertThat(((JsonArraySchema) schema.properties().get("tags")).items()).isInstanceOf(JsonStringSchema.class);
        JsonObjectSchema where = (JsonObjectSchema) schema.properties().get("where");
        assertThat(where.required()).containsExactly("lat");
        assertThat(where.properties().get("lat")).isInstanceOf(JsonNumberSchema.class);
        assertThat(schema.properties().get("note")).isInstanceOf(JsonStringSchema.class);
    }

    @Test
    void anAbsentSchemaMeansNoParameters() {
        assertThat(ToolSchemas.parse(null).properties()).isEmpty();
        assertThat(ToolSchemas.parse("  ").properties()).isEmpty();
    }

    @Test
    void invalidJsonIsReported() {
        assertThatThrownBy(() -> ToolSchemas.parse("{not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON Schema");
    }
}
