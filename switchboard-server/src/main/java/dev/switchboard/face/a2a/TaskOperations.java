package dev.switchboard.face.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.content.TextPart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.event.SessionEvents;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.SseStream;
import dev.switchboard.face.api.SseStreams;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.run.RunOfMessage;
import dev.switchboard.session.Session;
import dev.switchboard.task.PushTarget;
import dev.switchboard.task.Task;
import dev.switchboard.task.TaskState;
import dev.switchboard.task.Tasks;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The A2A operations, once for both protocol versions and both bindings (JSON-RPC and REST): each reads its
 * parameters in the version's shape, calls {@link Tasks}, and answers in the same shape.
 */
final class TaskOperations {

    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 100;

    private final Tasks tasks;
    private final EventHub events;
    private final SseStreams streams;
    private final PushDelivery push;
    private final Clock clock;

    TaskOperations(Tasks tasks, EventHub events, SseStreams streams, PushDelivery push, Clock clock) {
        this.tasks = tasks;
        this.events = events;
        this.streams = streams;
        this.push = push;
        this.clock = clock;
    }

    /** {@code message/send}, {@code SendMessage}: the task, ended unless the client asked not to wait. */
    JsonNode send(A2aWire wire, String owner, JsonNode params) throws InterruptedException {
        A2aWire.Incoming incoming = wire.incoming(params);
        JsonNode configuration = params.get("configuration");
        Session session = session(owner, incoming);
        Tasks.Started started = tasks.submit(session, List.of(new TextPart(incoming.text())), incoming.text(),
                incoming.messageId());
        addPushOfSend(wire, owner, started.task(), configuration);
        Task task = wire.blocking(configuration) ? tasks.await(started) : tasks.get(owner, started.task().id());
        return wire.sendResult(wire.task(task, historyLength(configuration, "params.configuration.historyLength")));
    }

    /** {@code message/stream}, {@code SendStreamingMessage}: the task, then its updates, as SSE. */
    void stream(A2aWire wire, String owner, JsonNode params, Context ctx, Function<JsonNode, String> frame)
            throws Exception {
        A2aWire.Incoming incoming = wire.incoming(params);
        Session session = session(owner, incoming);
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        // subscribed before the submission, so no event of the run is missed
        try (SessionEvents.Subscription ignored = events.of(session.id()).subscribe(-1, queue::add)) {
            Tasks.Started started = tasks.submit(session, List.of(new TextPart(incoming.text())), incoming.text(),
                    incoming.messageId());
            addPushOfSend(wire, owner, started.task(), params.get("configuration"));
            follow(wire, ctx, frame, queue, started.task(), started.ended());
        }
    }

    /** {@code tasks/resubscribe}, {@code SubscribeToTask}: the task now, then its updates until it ends. */
    void subscribe(A2aWire wire, String owner, JsonNode params, Context ctx, Function<JsonNode, String> frame)
            throws Exception {
        Task task = tasks.get(owner, required(params, "id"));
        if (task.state().terminal()) {
            throw A2aError.unsupported("Task '" + task.id() + "' has ended; there is nothing to subscribe to");
        }
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        List<Event> early = new ArrayList<>();
        boolean[] replayed = {false};
        Object lock = new Object();
        // the buffered events of the session come first (the run's start and the text written so far), then live ones
        try (SessionEvents.Subscription subscription = events.of(task.contextId()).subscribe(0, event -> {
            synchronized (lock) {
                (replayed[0] ? queue : early).add(event);
            }
        })) {
            synchronized (lock) {
                queue.addAll(subscription.missed());
                long last = subscription.missed().isEmpty() ? -1 : subscription.missed().getLast().seq();
                early.stream().filter(e -> e.seq() > last).forEach(queue::add);
                replayed[0] = true;
            }
            follow(wire, ctx, frame, queue, tasks.get(owner, task.id()), tasks.ending(owner, task.id()));
        }
    }

    private void follow(A2aWire wire, Context ctx, Function<JsonNode, String> frame, BlockingQueue<Event> queue,
            Task task, CompletableFuture<Task> ended) throws Exception {
        // wakes the stream when the task ends without a run of its own (removed from the queue by a cancel)
        Event endMark = new Event(task.contextId(), null, -1, Instant.EPOCH, new EventPayload.TitleUpdated(""));
        ended.whenComplete((t, e) -> queue.add(endMark));
        RunOfMessage ofRun = new RunOfMessage(task.messageId());
        boolean[] written = {false};
        try (SseStream sse = streams.open(ctx)) {
            if (!sse.data(frame.apply(wire.streamTask(wire.task(task, null))))) {
                return;
            }
            sse.pump(queue, event -> event == endMark || ofRun.test(event),
                    event -> event == endMark || RunOfMessage.isEnd(event), event -> {
                        if (event == endMark || event.payload() instanceof EventPayload.RunComplete) {
                            Task end = ended(ended, task);
                            return sse.data(frame.apply(wire.statusUpdate(end, end.state(), true)));
                        }
                        return switch (event.payload()) {
                            case EventPayload.RunStarted started ->
                                    sse.data(frame.apply(wire.statusUpdate(task, TaskState.WORKING, false)));
                            case EventPayload.Chunk chunk when "text".equals(chunk.chunkType())
                                    && !chunk.content().isEmpty() -> {
                                boolean append = written[0];
                                written[0] = true;
                                yield sse.data(frame.apply(wire.artifactUpdate(task, chunk.content(), append,
                                        false)));
                            }
                            default -> true;
                        };
                    });
        }
    }

    private Task ended(CompletableFuture<Task> ended, Task task) {
        try {
            return ended.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return tasks.get(task.ownerId(), task.id());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return tasks.get(task.ownerId(), task.id());
        }
    }

    /** {@code tasks/get}, {@code GetTask}. */
    JsonNode get(A2aWire wire, String owner, JsonNode params) {
        Task task = tasks.get(owner, required(params, "id"));
        return wire.task(task, historyLength(params, "params.historyLength"));
    }

    /** {@code tasks/list}, {@code ListTasks}: newest first, a page at a time. */
    JsonNode list(A2aWire wire, String owner, JsonNode params) {
        String contextId = A2aWire.optional(params, "contextId", "params.contextId");
        String status = A2aWire.optional(params, "status", "params.status");
        TaskState state = status == null || status.equals("TASK_STATE_UNSPECIFIED") ? null
                : wire.parseState(status, "params.status");
        int pageSize = DEFAULT_PAGE;
        JsonNode size = params == null ? null : params.get("pageSize");
        if (size != null && !size.isNull()) {
            if (!size.canConvertToInt() && !(size.isTextual() && size.asText().matches("\\d{1,4}"))) {
                throw new InvalidInputException("params.pageSize", "must be a number from 1 to " + MAX_PAGE);
            }
            pageSize = size.asInt();
            if (pageSize == 0) {
                pageSize = DEFAULT_PAGE;
            }
            if (pageSize < 1 || pageSize > MAX_PAGE) {
                throw new InvalidInputException("params.pageSize", "must be a number from 1 to " + MAX_PAGE);
            }
        }
        String token = A2aWire.optional(params, "pageToken", "params.pageToken");
        int offset = 0;
        if (token != null) {
            if (!token.matches("\\d{1,9}")) {
                throw new InvalidInputException("params.pageToken", "is not a token this server gave out");
            }
            offset = Integer.parseInt(token);
        }
        Integer historyLength = historyLength(params, "params.historyLength");
        boolean artifacts = params == null || !params.path("includeArtifacts").isBoolean()
                || params.get("includeArtifacts").asBoolean();
        Tasks.Page page = tasks.list(owner, contextId, state, pageSize, offset);
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("tasks");
        for (Task task : page.tasks()) {
            ObjectNode node = wire.task(task, historyLength);
            if (!artifacts) {
                node.remove("artifacts");
            }
            list.add(node);
        }
        int next = offset + page.tasks().size();
        result.put("nextPageToken", next < page.total() ? String.valueOf(next) : "");
        result.put("pageSize", pageSize);
        result.put("totalSize", page.total());
        return result;
    }

    /** {@code tasks/cancel}, {@code CancelTask}. */
    JsonNode cancel(A2aWire wire, String owner, JsonNode params) throws InterruptedException {
        return wire.task(tasks.cancel(owner, required(params, "id")), null);
    }

    /** {@code tasks/pushNotificationConfig/set}, {@code CreateTaskPushNotificationConfig}. */
    JsonNode pushSet(A2aWire wire, String owner, JsonNode params) {
        String taskId = required(params, "taskId");
        boolean legacy = wire instanceof A2aWire.V03;
        JsonNode config = legacy ? params.get("pushNotificationConfig") : params;
        String prefix = legacy ? "params.pushNotificationConfig" : "params";
        if (config == null || !config.isObject()) {
            throw new InvalidInputException(prefix, "is required and must be an object");
        }
        PushTarget target = pushTarget(wire, owner, tasks.get(owner, taskId), config, prefix);
        tasks.addPushTarget(owner, taskId, target);
        return pushConfig(wire, target);
    }

    /** {@code tasks/pushNotificationConfig/get}, {@code GetTaskPushNotificationConfig}. */
    JsonNode pushGet(A2aWire wire, String owner, JsonNode params) {
        boolean legacy = wire instanceof A2aWire.V03;
        String taskId = required(params, legacy ? "id" : "taskId");
        String id = A2aWire.optional(params, legacy ? "pushNotificationConfigId" : "id",
                legacy ? "params.pushNotificationConfigId" : "params.id");
        if (id == null) {
            List<PushTarget> targets = tasks.pushTargets(owner, taskId);
            if (targets.isEmpty()) {
                throw new dev.switchboard.failure.NotFoundException("pushNotificationConfig", taskId);
            }
            return pushConfig(wire, targets.getFirst());
        }
        return pushConfig(wire, tasks.pushTarget(owner, taskId, id));
    }

    /** {@code tasks/pushNotificationConfig/list}, {@code ListTaskPushNotificationConfigs}. */
    JsonNode pushList(A2aWire wire, String owner, JsonNode params) {
        boolean legacy = wire instanceof A2aWire.V03;
        String taskId = required(params, legacy ? "id" : "taskId");
        ArrayNode configs = Json.MAPPER.createArrayNode();
        tasks.pushTargets(owner, taskId).forEach(t -> configs.add(pushConfig(wire, t)));
        if (legacy) {
            return configs;
        }
        ObjectNode result = Json.object();
        result.set("configs", configs);
        return result.put("nextPageToken", "");
    }

    /** {@code tasks/pushNotificationConfig/delete}, {@code DeleteTaskPushNotificationConfig}. */
    JsonNode pushDelete(A2aWire wire, String owner, JsonNode params) {
        boolean legacy = wire instanceof A2aWire.V03;
        String taskId = required(params, legacy ? "id" : "taskId");
        String id = legacy ? required(params, "pushNotificationConfigId") : required(params, "id");
        tasks.deletePushTarget(owner, taskId, id);
        return legacy ? Json.MAPPER.nullNode() : Json.object();
    }

    private void addPushOfSend(A2aWire wire, String owner, Task task, JsonNode configuration) {
        JsonNode config = wire.pushConfigOfSend(configuration);
        if (config != null) {
            String prefix = wire instanceof A2aWire.V03 ? "params.configuration.pushNotificationConfig"
                    : "params.configuration.taskPushNotificationConfig";
            if (!config.isObject()) {
                throw new InvalidInputException(prefix, "must be an object");
            }
            tasks.addPushTarget(owner, task.id(), pushTarget(wire, owner, task, config, prefix));
        }
    }

    private PushTarget pushTarget(A2aWire wire, String owner, Task task, JsonNode config, String prefix) {
        String url = A2aWire.optional(config, "url", prefix + ".url");
        if (url == null) {
            throw new InvalidInputException(prefix + ".url", "is required");
        }
        push.check(url, prefix + ".url");
        String id = A2aWire.optional(config, "id", prefix + ".id");
        if (id == null) {
            id = Ids.next("push");
        } else if (!id.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new InvalidInputException(prefix + ".id", "must be 1..128 letters, digits, '.', '_', ':' or '-'");
        }
        String token = A2aWire.optional(config, "token", prefix + ".token");
        JsonNode auth = config.get("authentication");
        String scheme = null;
        String credentials = null;
        if (auth != null && !auth.isNull()) {
            if (wire instanceof A2aWire.V03) {
                JsonNode schemes = auth.get("schemes");
                scheme = schemes != null && schemes.isArray() && !schemes.isEmpty() ? schemes.get(0).asText() : null;
            } else {
                scheme = A2aWire.optional(auth, "scheme", prefix + ".authentication.scheme");
            }
            credentials = A2aWire.optional(auth, "credentials", prefix + ".authentication.credentials");
            if (scheme != null && !scheme.matches("[A-Za-z][A-Za-z0-9._-]{0,31}")) {
                throw new InvalidInputException(prefix + ".authentication", "names an invalid scheme");
            }
        }
        return new PushTarget(id, task.id(), owner, url, push.seal(token, task.id(), id), scheme,
                credentials == null ? null : push.seal(credentials, task.id(), id), wire.version(),
                clock.instant());
    }

    /** The configuration as the client sees it again: never its token or credentials. */
    private static JsonNode pushConfig(A2aWire wire, PushTarget target) {
        ObjectNode config = Json.object().put("id", target.id()).put("url", target.url());
        if (wire instanceof A2aWire.V03) {
            if (target.authScheme() != null) {
                config.putObject("authentication").putArray("schemes").add(target.authScheme());
            }
            ObjectNode result = Json.object().put("taskId", target.taskId());
            result.set("pushNotificationConfig", config);
            return result;
        }
        config.put("taskId", target.taskId());
        if (target.authScheme() != null) {
            config.putObject("authentication").put("scheme", target.authScheme());
        }
        return config;
    }

    private Session session(String owner, A2aWire.Incoming incoming) {
        if (incoming.taskId() != null) {
            Task existing = tasks.get(owner, incoming.taskId());
            throw new InvalidInputException("params.message.taskId", "Task '" + existing.id() + "' is "
                    + existing.state().name().toLowerCase(java.util.Locale.ROOT) + "; a task takes one message: "
                    + "send the next one without a taskId, in the same contextId");
        }
        return tasks.context(owner, incoming.contextId(), incoming.agentId());
    }

    static String required(JsonNode params, String name) {
        String value = A2aWire.optional(params, name, "params." + name);
        if (value == null) {
            throw new InvalidInputException("params." + name, "is required");
        }
        return value;
    }

    private static Integer historyLength(JsonNode holder, String field) {
        JsonNode value = holder == null ? null : holder.get("historyLength");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() && !(value.isTextual() && value.asText().matches("\\d{1,6}"))
                || value.asInt() < 0) {
            throw new InvalidInputException(field, "must be a number of at least 0");
        }
        return value.asInt();
    }
}
