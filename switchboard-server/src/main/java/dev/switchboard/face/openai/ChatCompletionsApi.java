package dev.switchboard.face.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.event.SessionEvents;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ContentInput;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.SseStream;
import dev.switchboard.face.api.SseStreams;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.RunFailedException;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOfMessage;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.session.ToolCall;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/chat/completions}: OpenAI's Chat Completions over the agents. The request's {@code model} picks
 * the agent; its messages become a run of the core (see {@code docs/api.md}, "OpenAI-compatible API").
 */
public final class ChatCompletionsApi {

    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final ContentInput contentInput;
    private final SseStreams streams;
    private final ModelAliases aliases;
    private final Clock clock;

    public ChatCompletionsApi(Sessions sessions, RunEngine engine, EventHub events, ContentInput contentInput,
            SseStreams streams, AgentCatalog agents, Clock clock) {
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.contentInput = contentInput;
        this.streams = streams;
        this.aliases = new ModelAliases(agents);
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.post("/v1/chat/completions", this::complete);
    }

    private void complete(Context ctx) throws Exception {
        ChatRequest request = ChatRequest.read(Body.of(ctx), contentInput, aliases);
        Session session = sessionFor(Owner.of(ctx), request);
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        // subscribed before the submission, so no event of the run is missed
        try (SessionEvents.Subscription ignored = events.of(session.id()).subscribe(-1, queue::add)) {
            Submission submission = request.userContent() != null
                    ? engine.submit(session, request.userContent(), "default", Map.of(), request.options())
                    : engine.answerToolCalls(session, request.toolResults(), request.options());
            Set<String> clientTools = request.options().clientTools().stream().map(ToolSpec::name)
                    .collect(Collectors.toSet());
            CompletionProjection projection = new CompletionProjection("chatcmpl-" + Ids.next("c").substring(2),
                    clock.instant().getEpochSecond(), request.model(), clientTools);
            if (request.stream()) {
                stream(ctx, request, session, submission, queue, projection);
            } else {
                respond(ctx, session, submission, queue, projection);
            }
        }
    }

    /**
     * The stored conversation named by {@code conversation_id} (created with the request's earlier messages as its
     * history when it does not exist yet), or for a stateless request a new session holding exactly the request's
     * earlier messages.
     */
    private Session sessionFor(String ownerId, ChatRequest request) {
        String agentId = request.agent().id();
        if (request.conversationId() == null) {
            return sessions.createWithHistory(ownerId, null, agentId, request.earlier());
        }
        try {
            Session existing = sessions.get(ownerId, request.conversationId());
            if (!existing.agentId().equals(agentId)) {
                throw new ConflictException("Conversation '" + existing.id() + "' talks to agent '"
                        + existing.agentId() + "'; send model 'agent:" + existing.agentId() + "'",
                        Map.of("conversationId", existing.id(), "agentId", existing.agentId()));
            }
            return existing;
        } catch (NotFoundException absent) {
            try {
                return sessions.createWithHistory(ownerId, request.conversationId(), agentId, request.earlier());
            } catch (ConflictException raced) {
                return sessions.getOrCreate(ownerId, request.conversationId(), agentId);
            }
        }
    }

    private void respond(Context ctx, Session session, Submission submission, BlockingQueue<Event> queue,
            CompletionProjection projection) throws InterruptedException {
        RunOutcome outcome = submission.await();
        // the run's events were all delivered before its outcome completed
        RunOfMessage ofRun = new RunOfMessage(submission.messageId());
        for (Event event = queue.poll(); event != null; event = queue.poll()) {
            if (ofRun.test(event)) {
                projection.chunks(event);
            }
        }
        if (outcome.status() == RunStatus.FAILED) {
            throw new RunFailedException(outcome.error().code(), outcome.error().message(),
                    outcome.error().recoverable(), outcome.runId());
        }
        ObjectNode completion = Json.object().put("id", projection.id()).put("object", "chat.completion")
                .put("created", clock.instant().getEpochSecond()).put("model", projection.model());
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String text = projection.text();
        if (text.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        if (!outcome.clientToolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : outcome.clientToolCalls()) {
                ObjectNode node = calls.addObject().put("id", call.id()).put("type", "function");
                node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", CompletionProjection.finishReason(outcome.finishReason()));
        completion.set("usage", CompletionProjection.usage(outcome.tokenUsage()));
        completion.put("conversation_id", session.id());
        ctx.json(completion);
    }

    /**
     * Streams the run as chunks. A client that goes away ends only its stream: the run goes on and stores its
     * answer in the conversation as usual.
     */
    private void stream(Context ctx, ChatRequest request, Session session, Submission submission,
            BlockingQueue<Event> queue, CompletionProjection projection) throws Exception {
        try (SseStream sse = streams.open(ctx)) {
            if (!sse.data(Json.write(projection.roleChunk(session.id())))) {
                return;
            }
            sse.pump(queue, new RunOfMessage(submission.messageId()), RunOfMessage::isEnd, event -> {
                for (ObjectNode chunk : projection.chunks(event)) {
                    if (!sse.data(Json.write(chunk))) {
                        return false;
                    }
                }
                if (event.payload() instanceof EventPayload.RunComplete complete) {
                    return finish(sse, request, session, projection, complete);
                }
                return true;
            });
        }
    }

    private static boolean finish(SseStream sse, ChatRequest request, Session session,
            CompletionProjection projection, EventPayload.RunComplete complete) {
        if ("error".equals(complete.finishReason())) {
            EventPayload.Error failed = projection.error();
            String message = failed == null ? "The run failed" : failed.error();
            String code = failed == null ? "run_failed" : failed.code();
            return sse.data(Json.write(OpenAiErrors.body(502, code, message, Map.of()))) && sse.data("[DONE]");
        }
        List<ObjectNode> last = new ArrayList<>();
        last.add(projection.finishChunk(complete.finishReason(), session.id()));
        if (request.includeUsage()) {
            last.add(projection.usageChunk(complete.tokenUsage()));
        }
        for (ObjectNode chunk : last) {
            if (!sse.data(Json.write(chunk))) {
                return false;
            }
        }
        return sse.data("[DONE]");
    }
}
