package dev.switchboard.llm.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

    @Test
    void findsTheProviderMessageInEachErrorShape() {
        assertThat(ProviderErrors.detail("{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\"}}", 401))
                .isEqualTo("Incorrect API key");
        assertThat(ProviderErrors.detail("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", 401))
                .isEqualTo("invalid x-api-key");
        assertThat(ProviderErrors.detail("[{\"error\":{\"code\":400,\"message\":\"API key not valid\",\"status\":\"INVALID_ARGUMENT\"}}]", 400))
                .isEqualTo("API key not valid");
        assertThat(ProviderErrors.detail("{\"error\":\"model 'llama9' not found\"}", 404))
                .isEqualTo("model 'llama9' not found");
        assertThat(ProviderErrors.detail("Bad Gateway", 502)).isEqualTo("Bad Gateway");
        assertThat(ProviderErrors.detail("", 503)).isEqualTo("(no error message)");
    }
}
