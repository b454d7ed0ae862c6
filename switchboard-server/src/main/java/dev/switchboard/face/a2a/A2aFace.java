package dev.switchboard.face.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.event.EventHub;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.SseStreams;
import dev.switchboard.identity.Sealer;
import dev.switchboard.task.Tasks;
import dev.switchboard.tool.builtin.AddressPolicy;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The A2A protocol (see {@code docs/api.md}, "A2A"): the agent card at {@code /.well-known/agent-card.json}, JSON-RPC
 * at {@code /jsonrpc} in v0.3 and v1.0 (chosen by the {@code A2A-Version} header, v0.3 when absent, as the v1.0
 * specification says), and the v1.0 HTTP+JSON binding under {@code /v1}.
 */
public final class A2aFace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(A2aFace.class);
    static final String VERSION_HEADER = "A2A-Version";

    private final AgentCatalog agents;
    private final String serverVersion;
    private final TaskOperations operations;
    private final PushDelivery push;

    public A2aFace(Tasks tasks, AgentCatalog agents, EventHub events, SseStreams streams, AddressPolicy policy,
            byte[] sealingKey, String serverVersion, Clock clock) {
        this.agents = agents;
        this.serverVersion = serverVersion;
        this.push = new PushDelivery(tasks, policy, new Sealer(sealingKey, "a2a-push"));
        tasks.onChange(push);
        this.operations = new TaskOperations(tasks, events, streams, push, clock);
    }

    public void register(Routes routes) {
        routes.open().get("/.well-known/agent-card.json", this::card);
        routes.post("/jsonrpc", this::jsonRpc);
        routes.post("/v1/message:send", ctx -> rest(ctx, () -> operations.send(A2aWire.V1_0, Owner.of(ctx),
                restBody(ctx))));
        routes.post("/v1/message:stream", this::restStream);
        routes.get("/v1/tasks", ctx -> rest(ctx, () -> operations.list(A2aWire.V1_0, Owner.of(ctx),
                queryParams(ctx))));
        routes.get("/v1/tasks/{taskId}", ctx -> rest(ctx, () -> operations.get(A2aWire.V1_0, Owner.of(ctx),
                queryParams(ctx).put("id", ctx.pathParam("taskId")))));
        routes.post("/v1/tasks/{taskId}:cancel", ctx -> rest(ctx, () -> operations.cancel(A2aWire.V1_0, Owner.of(ctx),
                Json.object().put("id", ctx.pathParam("taskId")))));
    }

    // ---- the agent card

    private void card(Context ctx) {
        String base = baseUrl(ctx);
        ctx.header("Vary", VERSION_HEADER);
        ctx.json(legacy(ctx.header(VERSION_HEADER)) ? AgentCard.v03(agents, base, serverVersion)
                : AgentCard.v10(agents, base, serverVersion));
    }

    /** The address clients reached this server at, for the card's interface URLs. */
    private static String baseUrl(Context ctx) {
        String host = ctx.header("Host");
        return ctx.scheme() + "://" + (host == null || host.isBlank() ? ctx.host() : host);
    }

    // ---- JSON-RPC

    private void jsonRpc(Context ctx) throws Exception {
        A2aWire wire;
        JsonNode id = null;
        try {
            wire = wire(ctx.header(VERSION_HEADER));
        } catch (A2aError.Failure unsupported) {
            rpcError(ctx, null, unsupported.error);
            return;
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            rpcError(ctx, null, A2aError.parse("Parse error: " + e.getOriginalMessage()));
            return;
        }
        try {
            if (request == null || !request.isObject()) {
                throw A2aError.invalidRequest("The request must be a JSON-RPC 2.0 request object");
            }
            id = request.get("id");
            if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
                id = null;
                throw A2aError.invalidRequest("'id' must be a string, a number or null");
            }
            if (!"2.0".equals(request.path("jsonrpc").asText(null))) {
                throw A2aError.invalidRequest("'jsonrpc' must be \"2.0\"");
            }
            JsonNode method = request.get("method");
            if (method == null || !method.isTextual() || method.asText().isEmpty()) {
                throw A2aError.invalidRequest("'method' must be a non-empty string");
            }
            JsonNode params = request.get("params");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw new dev.switchboard.failure.InvalidInputException("params", "must be an object");
            }
            ObjectNode given = params == null || params.isNull() ? Json.object() : (ObjectNode) params;
            A2aWire.Operation operation = operation(wire, method.asText());
            String owner = Owner.of(ctx);
            JsonNode rpcId = id;
            Function<JsonNode, String> frame = result -> Json.write(envelope(rpcId).set("result", result));
            JsonNode result = switch (operation) {
                case SEND -> operations.send(wire, owner, given);
                case STREAM -> {
                    operations.stream(wire, owner, given, ctx, frame);
                    yield null;
                }
                case SUBSCRIBE -> {
                    operations.subscribe(wire, owner, given, ctx, frame);
                    yield null;
                }
                case GET -> operations.get(wire, owner, given);
                case LIST -> operations.list(wire, owner, given);
                case CANCEL -> operations.cancel(wire, owner, given);
                case PUSH_SET -> operations.pushSet(wire, owner, given);
                case PUSH_GET -> operations.pushGet(wire, owner, given);
                case PUSH_LIST -> operations.pushList(wire, owner, given);
                case PUSH_DELETE -> operations.pushDelete(wire, owner, given);
                case EXTENDED_CARD -> throw A2aError.extendedCardNotConfigured();
            };
            if (result != null) {
                ctx.json(envelope(id).set("result", result));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            A2aError error = A2aError.of(e);
            if (error.code() == A2aError.INTERNAL_ERROR && error.httpStatus() == 500) {
                LOG.error("Unexpected failure of an A2A JSON-RPC call", e);
            }
            if (ctx.res().isCommitted()) {
                // a stream had begun: the error is its last event
                return;
            }
            rpcError(ctx, id, error);
        }
    }

    private static A2aWire.Operation operation(A2aWire wire, String method) {
        for (A2aWire.Operation operation : A2aWire.Operation.values()) {
            if (wire.method(operation).equals(method)) {
                return operation;
            }
        }
        throw A2aError.methodNotFound(method);
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode envelope = Json.object().put("jsonrpc", "2.0");
        envelope.set("id", id == null ? Json.MAPPER.nullNode() : id);
        return envelope;
    }

    /** JSON-RPC errors travel in a 200 response, as JSON-RPC over HTTP does. */
    private static void rpcError(Context ctx, JsonNode id, A2aError error) {
        ObjectNode body = envelope(id);
        ObjectNode node = body.putObject("error").put("code", error.code()).put("message", error.message());
        if (error.field() != null) {
            node.putObject("data").put("field", error.field());
        }
        ctx.status(200).json(body);
    }

    /** v0.3 when the header is absent (the v1.0 specification's rule), v1.0 for 1.0; anything else is refused. */
    static A2aWire wire(String header) {
        if (legacy(header)) {
            return A2aWire.V0_3;
        }
        if (header.strip().equals("1.0") || header.strip().equals("1")) {
            return A2aWire.V1_0;
        }
        throw new A2aError.Failure(new A2aError(-32009, 400, "VERSION_NOT_SUPPORTED",
                "A2A version '" + header + "' is not supported; this server speaks 0.3 and 1.0", "A2A-Version"));
    }

    private static boolean legacy(String header) {
        return header == null || header.isBlank() || header.strip().startsWith("0.3");
    }

    // ---- REST (v1.0 HTTP+JSON)

    @FunctionalInterface
    private interface Call {
        JsonNode run() throws Exception;
    }

    private static void rest(Context ctx, Call call) throws Exception {
        try {
            ctx.json(call.run());
        } catch (RuntimeException e) {
            restError(ctx, A2aError.of(e));
        }
    }

    private void restStream(Context ctx) throws Exception {
        try {
            operations.stream(A2aWire.V1_0, Owner.of(ctx), restBody(ctx), ctx, Json::write);
        } catch (RuntimeException e) {
            if (!ctx.res().isCommitted()) {
                restError(ctx, A2aError.of(e));
            }
        }
    }

    private static JsonNode restBody(Context ctx) {
        try {
            JsonNode body = Json.MAPPER.readTree(ctx.bodyAsBytes());
            if (body == null || !body.isObject()) {
                throw new dev.switchboard.failure.InvalidInputException("body", "must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new dev.switchboard.failure.InvalidInputException("body", "malformed JSON: "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new dev.switchboard.failure.InvalidInputException("body", "unreadable body");
        }
    }

    private static ObjectNode queryParams(Context ctx) {
        ObjectNode params = Json.object();
        for (Map.Entry<String, java.util.List<String>> entry : ctx.queryParamMap().entrySet()) {
            if (!entry.getValue().isEmpty()) {
                params.put(entry.getKey(), entry.getValue().getFirst());
            }
        }
        if (params.has("includeArtifacts")) {
            params.put("includeArtifacts", Boolean.parseBoolean(params.get("includeArtifacts").asText()));
        }
        return params;
    }

    /** The error shape of A2A's HTTP+JSON binding: a {@code google.rpc.Status} with an {@code ErrorInfo}. */
    private static void restError(Context ctx, A2aError error) {
        ObjectNode body = Json.object();
        ObjectNode node = body.putObject("error").put("code", error.httpStatus())
                .put("status", restStatus(error.httpStatus())).put("message", error.message());
        ArrayNode details = node.putArray("details");
        ObjectNode info = details.addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                .put("reason", error.reason()).put("domain", "a2a-protocol.org");
        if (error.field() != null) {
            info.putObject("metadata").put("field", error.field());
        }
        ctx.status(error.httpStatus()).json(body);
    }

    private static String restStatus(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 404 -> "NOT_FOUND";
            case 409 -> "FAILED_PRECONDITION";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
    }

    @Override
    public void close() {
        push.close();
    }
}
