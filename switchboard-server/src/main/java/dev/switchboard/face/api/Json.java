package dev.switchboard.face.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.session.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON mapper every HTTP face shares. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new SimpleModule().addSerializer(TokenUsage.class, new TokenUsageSerializer()));

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Token usage with the total the wire formats expect. */
    private static final class TokenUsageSerializer extends JsonSerializer<TokenUsage> {
        @Override
        public void serialize(TokenUsage usage, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            gen.writeNumberField("inputTokens", usage.inputTokens());
            gen.writeNumberField("outputTokens", usage.outputTokens());
            gen.writeNumberField("reasoningTokens", usage.reasoningTokens());
            gen.writeNumberField("cachedInputTokens", usage.cachedInputTokens());
            gen.writeNumberField("totalTokens", usage.totalTokens());
            gen.writeEndObject();
        }
    }
}
