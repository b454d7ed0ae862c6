package dev.switchboard.face.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.content.Content;
import dev.switchboard.content.ContentPart;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ContentInput;
import dev.switchboard.face.api.Json;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.run.RunOptions;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /v1/chat/completions} request, translated into the core's terms.
 *
 * @param model the name the client asked for, echoed in the answer
 * @param conversationId the stored conversation to continue, or null for a stateless request
 * @param earlier the turns before the new input, for a conversation this request creates
 * @param userContent the new user message, or null when the request answers tool calls
 * @param toolResults the results of client-side tool calls, by call id (in order), when the last messages are
 *     {@code role: "tool"}
 */
record ChatRequest(
        AgentDefinition agent,
        String model,
        String conversationId,
        boolean stream,
        boolean includeUsage,
        List<Message> earlier,
        List<ContentPart> userContent,
        Map<String, String> toolResults,
        RunOptions options) {

    private static final Set<String> SYSTEM_ROLES = Set.of("system", "developer");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static ChatRequest read(Body body, ContentInput contentInput, ModelAliases aliases) {
        String model = body.optionalString("model");
        String profileId = body.optionalString("profile_id");
        AgentDefinition agent;
        if (profileId != null && !profileId.isBlank()) {
            agent = aliases.resolve(ModelAliases.AGENT_PREFIX + profileId);
        } else if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", "'model' is required: agent:<id> or a name GET /v1/models lists");
        } else {
            agent = aliases.resolve(model);
        }
        String conversationId = body.optionalString("conversation_id");
        if (conversationId != null && conversationId.isBlank()) {
            conversationId = null;
        }
        JsonNode n = body.get("n");
        if (n != null && !(n.canConvertToInt() && n.isIntegralNumber() && n.intValue() == 1)) {
            throw new InvalidInputException("n", "Only n = 1 is supported: one choice per request");
        }
        boolean stream = body.optionalBoolean("stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null) {
            if (!streamOptions.isObject()) {
                throw new InvalidInputException("stream_options", "'stream_options' must be an object");
            }
            JsonNode usage = streamOptions.get("include_usage");
            if (usage != null && !usage.isNull() && !usage.isBoolean()) {
                throw new InvalidInputException("stream_options.include_usage", "must be true or false");
            }
            includeUsage = usage != null && usage.asBoolean(false);
        }
        Double temperature = number(body, "temperature", 0, 2);
        Integer maxTokens = positiveInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = positiveInt(body, "max_tokens");
        }
        checkStop(body.get("stop"));
        body.optionalString("user");
        checkResponseFormat(body.get("response_format"));
        String toolChoice = toolChoice(body.get("tool_choice"));
        List<ToolSpec> clientTools = "none".equals(toolChoice) ? List.of() : tools(body.get("tools"));

        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidInputException("messages", "'messages' must be a non-empty array of messages");
        }
        StringBuilder system = new StringBuilder();
        List<Message> turns = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw new InvalidInputException(path, "'" + path + "' must be an object with a role");
            }
            JsonNode roleNode = message.get("role");
            String role = roleNode == null || !roleNode.isTextual() ? null : roleNode.asText();
            if (role == null || !ROLES.contains(role)) {
                throw new InvalidInputException(path + ".role", "'" + path + ".role' must be one of system, "
                        + "developer, user, assistant, tool" + (role == null ? "" : " (not '" + role + "')"));
            }
            if (SYSTEM_ROLES.contains(role)) {
                String text = text(message.get("content"), path + ".content", false);
                system.append(system.isEmpty() ? "" : "\n\n").append(text);
                continue;
            }
            turns.add(switch (role) {
                case "user" -> Message.user(null, null, userContent(message.get("content"), path + ".content",
                        contentInput), null);
                case "assistant" -> assistant(message, path, toolNames);
                default -> toolResult(message, path, toolNames);
            });
        }
        if (turns.isEmpty()) {
            throw new InvalidInputException("messages", "'messages' needs a user message, not only system messages");
        }
        List<ContentPart> userContent = null;
        Map<String, String> toolResults = new LinkedHashMap<>();
        int firstNew = turns.size();
        if (turns.getLast().role() == Role.USER) {
            firstNew = turns.size() - 1;
            userContent = turns.getLast().content();
        } else if (turns.getLast().role() == Role.TOOL) {
            while (firstNew > 0 && turns.get(firstNew - 1).role() == Role.TOOL) {
                firstNew--;
            }
            for (Message result : turns.subList(firstNew, turns.size())) {
                toolResults.put(result.toolCallId(), Content.plainText(result.content()));
            }
        } else {
            throw new InvalidInputException("messages", "The last message must be a user message or the results of "
                    + "tool calls (role 'tool'), not an assistant message");
        }
        RunOptions options = new RunOptions(system.isEmpty() ? null : system.toString(), clientTools, temperature,
                maxTokens);
        return new ChatRequest(agent, model == null || model.isBlank() ? ModelAliases.AGENT_PREFIX + agent.id() : model,
                conversationId, stream, includeUsage, List.copyOf(turns.subList(0, firstNew)), userContent,
                toolResults, options);
    }

    private static Message assistant(JsonNode message, String path, Map<String, String> toolNames) {
        JsonNode content = message.get("content");
        String text = content == null || content.isNull() ? "" : text(content, path + ".content", true);
        List<ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
            if (!toolCalls.isArray()) {
                throw new InvalidInputException(path + ".tool_calls", "'" + path + ".tool_calls' must be an array");
            }
            for (int j = 0; j < toolCalls.size(); j++) {
                String callPath = path + ".tool_calls[" + j + "]";
                JsonNode call = toolCalls.get(j);
                String id = string(call.get("id"), callPath + ".id");
                JsonNode function = call.get("function");
                if (function == null || !function.isObject()) {
                    throw new InvalidInputException(callPath + ".function", "'" + callPath
                            + ".function' must be an object with name and arguments");
                }
                String name = string(function.get("name"), callPath + ".function.name");
                JsonNode arguments = function.get("arguments");
                String args = arguments == null || arguments.isNull() ? "{}"
                        : arguments.isTextual() ? arguments.asText() : Json.write(arguments);
                calls.add(new ToolCall(id, name, args));
                toolNames.put(id, name);
            }
        }
        if (text.isEmpty() && calls.isEmpty()) {
            throw new InvalidInputException(path + ".content", "'" + path
                    + "' needs content or tool_calls");
        }
        return new Message(null, null, null, Role.ASSISTANT, text.isEmpty() ? List.of() : Content.text(text), null,
                calls, null, null, null, null, null, null, null, null);
    }

    private static Message toolResult(JsonNode message, String path, Map<String, String> toolNames) {
        String callId = string(message.get("tool_call_id"), path + ".tool_call_id");
        JsonNode content = message.get("content");
        String text = content == null || content.isNull() ? "" : text(content, path + ".content", true);
        String name = toolNames.getOrDefault(callId, message.path("name").asText("tool"));
        return new Message(null, null, null, Role.TOOL, Content.text(text), null, List.of(), callId, name, true,
                null, null, null, null, null);
    }

    /** OpenAI's content parts in the native shape the content reader knows: text, image_url, file. */
    private static List<ContentPart> userContent(JsonNode content, String path, ContentInput contentInput) {
        if (content == null || !content.isArray()) {
            return contentInput.read(content, path);
        }
        ArrayNode native_ = Json.MAPPER.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partPath = path + "[" + i + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "text" -> native_.add(part);
                case "image_url" -> {
                    JsonNode url = part.path("image_url").isTextual() ? part.get("image_url")
                            : part.path("image_url").get("url");
                    ObjectNode image = native_.addObject().put("type", "image");
                    image.put("image", string(url, partPath + ".image_url.url"));
                }
                case "file" -> {
                    JsonNode file = part.path("file");
                    ObjectNode converted = native_.addObject().put("type", "file");
                    converted.put("data", string(file.get("file_data"), partPath + ".file.file_data"));
                    if (file.hasNonNull("filename")) {
                        converted.put("filename", file.get("filename").asText());
                    }
                }
                default -> throw new InvalidInputException(partPath + ".type", "'" + partPath
                        + ".type' must be text, image_url or file" + (type.isEmpty() ? "" : " (not '" + type + "')"));
            }
        }
        return contentInput.read(native_, path);
    }

    /** A string, or an array of text parts joined; empty allowed only when {@code mayBeEmpty}. */
    private static String text(JsonNode content, String path, boolean mayBeEmpty) {
        String text;
        if (content != null && content.isTextual()) {
            text = content.asText();
        } else if (content != null && content.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new InvalidInputException(path, "'" + path + "' may hold only text parts");
                }
                joined.append(part.get("text").asText());
            }
            text = joined.toString();
        } else {
            throw new InvalidInputException(path, "'" + path + "' must be a string or an array of text parts");
        }
        if (text.isEmpty() && !mayBeEmpty) {
            throw new InvalidInputException(path, "'" + path + "' must not be empty");
        }
        return text;
    }

    private static String string(JsonNode value, String path) {
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidInputException(path, "'" + path + "' is required and must be a non-empty string");
        }
        return value.asText();
    }

    private static Double number(Body body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
            throw new InvalidInputException(field, "'" + field + "' must be a number from " + min + " to " + max);
        }
        return value.doubleValue();
    }

    private static Integer positiveInt(Body body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw new InvalidInputException(field, "'" + field + "' must be a positive integer");
        }
        return value.intValue();
    }

    private static void checkStop(JsonNode stop) {
        if (stop == null || stop.isTextual()) {
            return;
        }
        if (!stop.isArray() || stop.size() > 4 || !java.util.stream.StreamSupport.stream(stop.spliterator(), false)
                .allMatch(JsonNode::isTextual)) {
            throw new InvalidInputException("stop", "'stop' must be a string or an array of up to 4 strings");
        }
    }

    private static void checkResponseFormat(JsonNode format) {
        if (format == null) {
            return;
        }
        String type = format.path("type").asText("");
        if (!Set.of("text", "json_object", "json_schema").contains(type)) {
            throw new InvalidInputException("response_format.type", "'response_format.type' must be text, "
                    + "json_object or json_schema");
        }
    }

    /** {@code none}, {@code auto}, {@code required}, or {@code function} for a named function. */
    private static String toolChoice(JsonNode choice) {
        if (choice == null) {
            return "auto";
        }
        if (choice.isTextual() && Set.of("none", "auto", "required").contains(choice.asText())) {
            return choice.asText();
        }
        if (choice.isObject() && "function".equals(choice.path("type").asText())) {
            return "function";
        }
        throw new InvalidInputException("tool_choice", "'tool_choice' must be none, auto, required or "
                + "{\"type\":\"function\",\"function\":{\"name\":...}}");
    }

    private static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new InvalidInputException("tools", "'tools' must be an array of functions");
        }
        List<ToolSpec> specs = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            if (!"function".equals(tool.path("type").asText()) || !tool.path("function").isObject()) {
                throw new InvalidInputException(path, "'" + path + "' must be {\"type\":\"function\",\"function\":{...}}");
            }
            JsonNode function = tool.get("function");
            String name = string(function.get("name"), path + ".function.name");
            if (!FUNCTION_NAME.matcher(name).matches() || !names.add(name)) {
                throw new InvalidInputException(path + ".function.name", "'" + path + ".function.name' must be "
                        + "unique and 1-64 letters, digits, '_' or '-'");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw new InvalidInputException(path + ".function.parameters", "'" + path
                        + ".function.parameters' must be a JSON Schema object");
            }
            String schema = parameters == null || parameters.isNull() ? "{\"type\":\"object\",\"properties\":{}}"
                    : Json.write(parameters);
            String description = function.path("description").isTextual() ? function.get("description").asText()
                    : null;
            specs.add(new ToolSpec(name, description, schema));
        }
        return specs;
    }
}
