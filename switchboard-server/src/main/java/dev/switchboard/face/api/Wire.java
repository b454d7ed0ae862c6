package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.ContentPart;
import dev.switchboard.content.FilePart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.event.Event;
import dev.switchboard.run.QueuedMessage;
import dev.switchboard.run.RunRecord;
import dev.switchboard.session.Message;
import dev.switchboard.session.Session;
import dev.switchboard.session.ToolCall;
import java.time.Instant;
import java.util.List;

/** Turns core values into the native API's JSON shapes (seed 004). */
public final class Wire {

    private Wire() {
    }

    public static ObjectNode session(Session s, Boolean busy) {
        ObjectNode json = Json.object()
                .put("id", s.id())
                .put("agentId", s.agentId())
                .put("createdAt", millis(s.createdAt()))
                .put("lastActivity", millis(s.lastActivity()))
                .put("messageCount", s.messageCount());
        if (s.title() != null) {
            json.put("title", s.title());
        }
        json.set("tokenUsage", Json.MAPPER.valueToTree(s.tokenUsage()));
        json.put("estimatedCost", s.estimatedCost());
        if (busy != null) {
            json.put("isBusy", busy);
        }
        return json;
    }

    public static ObjectNode message(Message m) {
        ObjectNode json = Json.object()
                .put("id", m.id())
                .put("role", m.role().wireName())
                .put("timestamp", millis(m.timestamp()));
        json.set("content", content(m.content()));
        putIfPresent(json, "runId", m.runId());
        putIfPresent(json, "reasoning", m.reasoning());
        if (m.tokenUsage() != null) {
            json.set("tokenUsage", Json.MAPPER.valueToTree(m.tokenUsage()));
        }
        putIfPresent(json, "provider", m.provider());
        putIfPresent(json, "model", m.model());
        if (m.estimatedCost() != null) {
            json.put("estimatedCost", m.estimatedCost());
        }
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = json.putArray("toolCalls");
            for (ToolCall call : m.toolCalls()) {
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        putIfPresent(json, "toolCallId", m.toolCallId());
        putIfPresent(json, "name", m.toolName());
        if (m.success() != null) {
            json.put("success", m.success());
        }
        return json;
    }

    /** Content as a plain string when it is one text part, else as an array of parts. */
    public static com.fasterxml.jackson.databind.JsonNode content(List<ContentPart> parts) {
        if (parts.size() == 1 && parts.getFirst() instanceof TextPart text) {
            return Json.MAPPER.getNodeFactory().textNode(text.text());
        }
        return parts(parts);
    }

    /** Content as an array of parts, whatever it holds. */
    public static ArrayNode parts(List<ContentPart> parts) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ContentPart part : parts) {
            switch (part) {
                case TextPart t -> array.addObject().put("type", "text").put("text", t.text());
                case ImagePart i -> {
                    ObjectNode o = array.addObject().put("type", "image");
                    putIfPresent(o, "mimeType", i.mimeType());
                    if (i.blobId() != null) {
                        o.put("blobId", i.blobId()).put("image", "/api/blobs/" + i.blobId());
                    } else {
                        o.put("image", i.url());
                    }
                }
                case FilePart f -> {
                    ObjectNode o = array.addObject().put("type", "file").put("mimeType", f.mimeType())
                            .put("blobId", f.blobId()).put("data", "/api/blobs/" + f.blobId());
                    putIfPresent(o, "filename", f.filename());
                }
            }
        }
        return array;
    }

    public static ObjectNode queued(QueuedMessage q) {
        ObjectNode json = Json.object().put("id", q.id()).put("queuedAt", millis(q.queuedAt())).put("kind", q.kind());
        json.set("content", parts(q.content()));
        json.set("metadata", Json.MAPPER.valueToTree(q.metadata()));
        return json;
    }

    public static ObjectNode run(RunRecord r) {
        ObjectNode json = Json.object()
                .put("id", r.id())
                .put("messageId", r.messageId())
                .put("status", r.status().wireName())
                .put("steps", r.steps())
                .put("startedAt", millis(r.startedAt()));
        putIfPresent(json, "finishReason", r.finishReason());
        json.set("tokenUsage", Json.MAPPER.valueToTree(r.tokenUsage()));
        if (r.estimatedCost() != null) {
            json.put("estimatedCost", r.estimatedCost());
        }
        putIfPresent(json, "error", r.error());
        if (r.endedAt() != null) {
            json.put("endedAt", millis(r.endedAt()));
        }
        return json;
    }

    /**
     * An approval request as seed 004 lists it: {@code approvalId, type, sessionId, timeout, timestamp, metadata},
     * the metadata carrying the tool, the call, its arguments and the question.
     */
    public static ObjectNode approval(dev.switchboard.approval.Approval approval) {
        dev.switchboard.approval.ApprovalRequest r = approval.request();
        ObjectNode json = Json.object()
                .put("approvalId", r.id())
                .put("type", r.type())
                .put("status", approval.status().wireName());
        putIfPresent(json, "sessionId", r.sessionId());
        json.put("timeout", r.timeoutMs())
                .put("timestamp", r.createdAt().toString())
                .put("expiresAt", r.createdAt().plusMillis(r.timeoutMs()).toString());
        ObjectNode metadata = Json.MAPPER.valueToTree(r.metadata());
        putIfPresent(metadata, "message", r.message());
        putIfPresent(metadata, "toolName", r.toolName());
        putIfPresent(metadata, "callId", r.callId());
        putIfPresent(metadata, "agentId", r.agentId());
        putIfPresent(metadata, "runId", r.runId());
        if (r.args() != null) {
            metadata.set("args", jsonOrText(r.args()));
        }
        json.set("metadata", metadata);
        if (approval.decision() != null) {
            putIfPresent(json, "reason", approval.decision().reason());
            if (approval.decision().formData() != null) {
                json.set("formData", Json.MAPPER.valueToTree(approval.decision().formData()));
            }
        }
        return json;
    }

    /** The model's argument text as JSON when it is JSON, else as the text itself. */
    static com.fasterxml.jackson.databind.JsonNode jsonOrText(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(text);
        }
    }

    /** An event as the JSON {@code data} of SSE: name, ids, seq, timestamp and the payload's fields. */
    public static ObjectNode event(Event e) {
        ObjectNode json = Json.object()
                .put("name", e.name())
                .put("sessionId", e.sessionId());
        putIfPresent(json, "runId", e.runId());
        json.put("seq", e.seq()).put("timestamp", millis(e.timestamp()));
        json.setAll((ObjectNode) Json.MAPPER.valueToTree(e.payload()));
        return json;
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }
}
