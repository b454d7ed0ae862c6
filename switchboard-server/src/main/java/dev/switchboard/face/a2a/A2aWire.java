package dev.switchboard.face.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.face.api.Json;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.task.Task;
import dev.switchboard.task.TaskState;
import java.util.Locale;

/**
 * The JSON shapes of one A2A protocol version. Both versions carry the same things; v0.3 tags objects with
 * {@code kind} and writes states in lower case, v1.0 is the protobuf JSON of {@code a2a.proto} (upper-case enums,
 * one-of wrappers such as {@code {"task": ...}}).
 */
sealed interface A2aWire permits A2aWire.V03, A2aWire.V10 {

    A2aWire V0_3 = new V03();
    A2aWire V1_0 = new V10();

    /** The version as the {@code A2A-Version} header and the card write it. */
    String version();

    /** The JSON-RPC method names of this version, by operation. */
    String method(Operation operation);

    /** The message a client sent, read from {@code params.message}. */
    Incoming incoming(JsonNode params);

    /** Whether a send should wait for the task to end (both versions wait unless the client says not to). */
    boolean blocking(JsonNode configuration);

    /** The push target a send's configuration asks for, or null. */
    JsonNode pushConfigOfSend(JsonNode configuration);

    ObjectNode task(Task task, Integer historyLength);

    /** What {@code SendMessage} answers: the task itself (v0.3) or wrapped (v1.0). */
    JsonNode sendResult(ObjectNode task);

    /** One item of a stream: the task snapshot, a status or an artifact update. */
    JsonNode streamTask(ObjectNode task);

    JsonNode statusUpdate(Task task, TaskState state, boolean last);

    JsonNode artifactUpdate(Task task, String text, boolean append, boolean lastChunk);

    /** A stored state as this version writes it. */
    String state(TaskState state);

    /** A state as the client wrote it (a list filter); {@link InvalidInputException} naming {@code field} if unknown. */
    TaskState parseState(String text, String field);

    /** The operations both versions offer. */
    enum Operation {
        SEND, STREAM, GET, LIST, CANCEL, SUBSCRIBE, PUSH_SET, PUSH_GET, PUSH_LIST, PUSH_DELETE, EXTENDED_CARD
    }

    /** The user's message: its text, and the ids it names. */
    record Incoming(String text, String messageId, String contextId, String taskId, String agentId) {
    }

    /** Helpers both versions share. */
    static ObjectNode message(A2aWire wire, String messageId, String role, String text, Task task) {
        ObjectNode message = Json.object();
        boolean legacy = wire instanceof V03;
        if (legacy) {
            message.put("kind", "message");
        }
        message.put("messageId", messageId)
                .put("role", legacy ? role : "ROLE_" + role.toUpperCase(Locale.ROOT))
                .put("contextId", task.contextId())
                .put("taskId", task.id());
        message.putArray("parts").add(part(wire, text));
        return message;
    }

    static ObjectNode part(A2aWire wire, String text) {
        ObjectNode part = Json.object();
        if (wire instanceof V03) {
            part.put("kind", "text");
        }
        return part.put("text", text);
    }

    /** Reads the text of a message's parts; files are refused, data parts are kept as their JSON text. */
    static Incoming read(JsonNode params, boolean legacy) {
        JsonNode message = params == null ? null : params.get("message");
        if (message == null || !message.isObject()) {
            throw new InvalidInputException("params.message", "is required and must be an object");
        }
        JsonNode role = message.get("role");
        String user = legacy ? "user" : "ROLE_USER";
        if (role != null && !role.isNull() && !user.equals(role.asText())) {
            throw new InvalidInputException("params.message.role", "must be '" + user + "'");
        }
        JsonNode parts = message.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            throw new InvalidInputException("params.message.parts", "must be a non-empty array");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String field = "params.message.parts[" + i + "]";
            if (!part.isObject()) {
                throw new InvalidInputException(field, "must be an object");
            }
            String kind = legacy ? part.path("kind").asText("")
                    : part.has("text") ? "text" : part.has("data") ? "data" : "file";
            switch (kind) {
                case "text" -> {
                    if (!part.path("text").isTextual()) {
                        throw new InvalidInputException(field + ".text", "must be a string");
                    }
                    append(text, part.get("text").asText());
                }
                case "data" -> append(text, Json.write(part.get("data")));
                case "file" -> throw new InvalidInputException(field, "file parts are not accepted; send text or "
                        + "data parts");
                default -> throw new InvalidInputException(field + ".kind", "must be 'text', 'data' or 'file'");
            }
        }
        if (text.toString().isBlank()) {
            throw new InvalidInputException("params.message.parts", "carry no text");
        }
        return new Incoming(text.toString(), optional(message, "messageId", "params.message.messageId"),
                optional(message, "contextId", "params.message.contextId"),
                optional(message, "taskId", "params.message.taskId"), agentId(message, params));
    }

    private static void append(StringBuilder text, String piece) {
        if (!text.isEmpty()) {
            text.append("\n");
        }
        text.append(piece);
    }

    /** The agent the message is for: {@code metadata.agentId} of the message or of the request, else the default. */
    private static String agentId(JsonNode message, JsonNode params) {
        for (JsonNode holder : new JsonNode[] {message, params}) {
            JsonNode agent = holder.path("metadata").get("agentId");
            if (agent != null && !agent.isNull()) {
                if (!agent.isTextual() || agent.asText().isBlank()) {
                    throw new InvalidInputException(holder == message ? "params.message.metadata.agentId"
                            : "params.metadata.agentId", "must be a non-empty string");
                }
                return agent.asText();
            }
        }
        return null;
    }

    static String optional(JsonNode node, String name, String field) {
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || value.isNull() || value.isTextual() && value.asText().isEmpty()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "must be a string");
        }
        return value.asText();
    }

    static ObjectNode taskBody(A2aWire wire, Task task, Integer historyLength) {
        ObjectNode node = Json.object();
        if (wire instanceof V03) {
            node.put("kind", "task");
        }
        node.put("id", task.id()).put("contextId", task.contextId());
        node.set("status", status(wire, task, task.state()));
        if (task.answer() != null) {
            ObjectNode artifact = node.putArray("artifacts").addObject().put("artifactId", "answer")
                    .put("name", "answer");
            artifact.putArray("parts").add(part(wire, task.answer()));
        }
        ArrayNode history = Json.MAPPER.createArrayNode();
        history.add(message(wire, task.clientMessageId() == null ? task.messageId() : task.clientMessageId(), "user",
                task.request(), task));
        if (task.answer() != null) {
            history.add(message(wire, task.messageId() + "-answer", "agent", task.answer(), task));
        }
        int keep = historyLength == null ? history.size() : Math.max(0, Math.min(historyLength, history.size()));
        ArrayNode kept = node.putArray("history");
        for (int i = history.size() - keep; i < history.size(); i++) {
            kept.add(history.get(i));
        }
        node.putObject("metadata").put("agentId", task.agentId());
        return node;
    }

    static ObjectNode status(A2aWire wire, Task task, TaskState state) {
        ObjectNode status = Json.object().put("state", wire.state(state));
        if (state == TaskState.FAILED && task.error() != null) {
            status.set("message", message(wire, task.messageId() + "-error", "agent", task.error(), task));
        }
        status.put("timestamp", task.updatedAt().toString());
        return status;
    }

    /** v0.3: JSON-RPC methods such as {@code message/send}, objects tagged with {@code kind}. */
    final class V03 implements A2aWire {

        @Override
        public String version() {
            return "0.3";
        }

        @Override
        public String method(Operation operation) {
            return switch (operation) {
                case SEND -> "message/send";
                case STREAM -> "message/stream";
                case GET -> "tasks/get";
                case LIST -> "tasks/list";
                case CANCEL -> "tasks/cancel";
                case SUBSCRIBE -> "tasks/resubscribe";
                case PUSH_SET -> "tasks/pushNotificationConfig/set";
                case PUSH_GET -> "tasks/pushNotificationConfig/get";
                case PUSH_LIST -> "tasks/pushNotificationConfig/list";
                case PUSH_DELETE -> "tasks/pushNotificationConfig/delete";
                case EXTENDED_CARD -> "agent/getAuthenticatedExtendedCard";
            };
        }

        @Override
        public Incoming incoming(JsonNode params) {
            return read(params, true);
        }

        @Override
        public boolean blocking(JsonNode configuration) {
            return configuration == null || !configuration.path("blocking").isBoolean()
                    || configuration.get("blocking").asBoolean();
        }

        @Override
        public JsonNode pushConfigOfSend(JsonNode configuration) {
            JsonNode config = configuration == null ? null : configuration.get("pushNotificationConfig");
            return config == null || config.isNull() ? null : config;
        }

        @Override
        public ObjectNode task(Task task, Integer historyLength) {
            // v0.3 leaves 0 undefined, and the a2a-java 0.3.x client sends 0 whenever its caller gives no length
            // (TaskQueryParams(id)): read as "no limit", not "no history" (v1.0 defines 0 as none)
            return taskBody(this, task, historyLength != null && historyLength == 0 ? null : historyLength);
        }

        @Override
        public JsonNode sendResult(ObjectNode task) {
            return task;
        }

        @Override
        public JsonNode streamTask(ObjectNode task) {
            return task;
        }

        @Override
        public JsonNode statusUpdate(Task task, TaskState state, boolean last) {
            ObjectNode update = Json.object().put("kind", "status-update").put("taskId", task.id())
                    .put("contextId", task.contextId());
            update.set("status", status(this, task, state));
            return update.put("final", last);
        }

        @Override
        public JsonNode artifactUpdate(Task task, String text, boolean append, boolean lastChunk) {
            ObjectNode update = Json.object().put("kind", "artifact-update").put("taskId", task.id())
                    .put("contextId", task.contextId());
            ObjectNode artifact = update.putObject("artifact").put("artifactId", "answer").put("name", "answer");
            artifact.putArray("parts").add(part(this, text));
            return update.put("append", append).put("lastChunk", lastChunk);
        }

        @Override
        public String state(TaskState state) {
            return state.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public TaskState parseState(String text, String field) {
            for (TaskState state : TaskState.values()) {
                if (state(state).equals(text)) {
                    return state;
                }
            }
            throw new InvalidInputException(field, "must be one of submitted, working, completed, canceled, failed");
        }
    }

    /** v1.0: JSON-RPC methods such as {@code SendMessage}, the protobuf JSON of {@code a2a.proto}. */
    final class V10 implements A2aWire {

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String method(Operation operation) {
            return switch (operation) {
                case SEND -> "SendMessage";
                case STREAM -> "SendStreamingMessage";
                case GET -> "GetTask";
                case LIST -> "ListTasks";
                case CANCEL -> "CancelTask";
                case SUBSCRIBE -> "SubscribeToTask";
                case PUSH_SET -> "CreateTaskPushNotificationConfig";
                case PUSH_GET -> "GetTaskPushNotificationConfig";
                case PUSH_LIST -> "ListTaskPushNotificationConfigs";
                case PUSH_DELETE -> "DeleteTaskPushNotificationConfig";
                case EXTENDED_CARD -> "GetExtendedAgentCard";
            };
        }

        @Override
        public Incoming incoming(JsonNode params) {
            return read(params, false);
        }

        @Override
        public boolean blocking(JsonNode configuration) {
            return configuration == null || !configuration.path("returnImmediately").asBoolean(false);
        }

        @Override
        public JsonNode pushConfigOfSend(JsonNode configuration) {
            JsonNode config = configuration == null ? null : configuration.get("taskPushNotificationConfig");
            return config == null || config.isNull() ? null : config;
        }

        @Override
        public ObjectNode task(Task task, Integer historyLength) {
            return taskBody(this, task, historyLength);
        }

        @Override
        public JsonNode sendResult(ObjectNode task) {
            ObjectNode result = Json.object();
            result.set("task", task);
            return result;
        }

        @Override
        public JsonNode streamTask(ObjectNode task) {
            return sendResult(task);
        }

        @Override
        public JsonNode statusUpdate(Task task, TaskState state, boolean last) {
            ObjectNode result = Json.object();
            ObjectNode update = result.putObject("statusUpdate").put("taskId", task.id())
                    .put("contextId", task.contextId());
            update.set("status", status(this, task, state));
            return result;
        }

        @Override
        public JsonNode artifactUpdate(Task task, String text, boolean append, boolean lastChunk) {
            ObjectNode result = Json.object();
            ObjectNode update = result.putObject("artifactUpdate").put("taskId", task.id())
                    .put("contextId", task.contextId());
            ObjectNode artifact = update.putObject("artifact").put("artifactId", "answer").put("name", "answer");
            artifact.putArray("parts").add(part(this, text));
            if (append) {
                update.put("append", true);
            }
            if (lastChunk) {
                update.put("lastChunk", true);
            }
            return result;
        }

        @Override
        public String state(TaskState state) {
            return "TASK_STATE_" + state.name();
        }

        @Override
        public TaskState parseState(String text, String field) {
            for (TaskState state : TaskState.values()) {
                if (state(state).equals(text)) {
                    return state;
                }
            }
            throw new InvalidInputException(field, "must be one of TASK_STATE_SUBMITTED, TASK_STATE_WORKING, "
                    + "TASK_STATE_COMPLETED, TASK_STATE_CANCELED, TASK_STATE_FAILED");
        }
    }
}
