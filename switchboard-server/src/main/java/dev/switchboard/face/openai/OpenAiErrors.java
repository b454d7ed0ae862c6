package dev.switchboard.face.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.face.api.Json;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The error body of the OpenAI-compatible routes, {@code {"error":{"message","type","param","code"}}}, which OpenAI
 * clients read; the server's one failure mapping ({@code HttpServer}) writes it instead of its own shape for the
 * paths this face owns, so the statuses stay the same everywhere.
 */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /** Whether failures on this path are answered in OpenAI's shape. */
    public static boolean covers(String path) {
        return path.equals("/v1/chat/completions") || path.equals("/v1/models") || path.startsWith("/v1/models/");
    }

    /** Writes the failure; {@code code} and {@code details} are Switchboard's, as the failure mapping has them. */
    public static void write(Context ctx, int status, String code, String message, Map<String, Object> details) {
        ctx.status(status).json(body(status, code, message, details));
    }

    /** The error object of a failure, also sent as an event of a stream that fails part way. */
    public static ObjectNode body(int status, String code, String message, Map<String, Object> details) {
        Object field = details == null ? null : details.get("field");
        boolean model = details != null && "model".equals(details.get("kind"));
        String param = model ? "model" : field == null || "body".equals(field) ? null : field.toString();
        String openAiCode = switch (code) {
            case "not_found" -> model ? "model_not_found" : "not_found";
            case "unauthorized" -> "invalid_api_key";
            case "invalid_input" -> field == null || "body".equals(field) ? "invalid_request" : "invalid_value";
            default -> code;
        };
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error")
                .put("message", message)
                .put("type", type(status));
        error.put("param", param);
        error.put("code", openAiCode);
        return body;
    }

    /** OpenAI's error type for a status; its clients pick their exception class by the status itself. */
    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? (status == 503 ? "service_unavailable_error" : "server_error")
                    : "invalid_request_error";
        };
    }
}
