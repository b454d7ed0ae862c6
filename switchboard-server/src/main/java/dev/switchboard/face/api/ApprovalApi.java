package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.approval.Approval;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.failure.InvalidInputException;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/approvals} (pending questions, to restore a client after a refresh) and the answers to them. */
public final class ApprovalApi {

    private static final Set<String> ANSWERS = Set.of("approved", "denied", "cancelled");
    private static final int MAX_KEY = 200;
    private static final int MAX_REASON = 2000;

    private final ApprovalGate approvals;

    public ApprovalApi(ApprovalGate approvals) {
        this.approvals = approvals;
    }

    public void register(Routes routes) {
        routes.get("/api/approvals", this::list)
                .get("/api/approvals/{approvalId}", this::get)
                .post("/api/approvals/{approvalId}", this::answer);
    }

    private void list(Context ctx) {
        String sessionId = ctx.queryParam("sessionId");
        if (sessionId != null && sessionId.isBlank()) {
            throw new InvalidInputException("sessionId", "must not be empty when given");
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Approval approval : approvals.pending(Owner.of(ctx), sessionId)) {
            list.add(Wire.approval(approval));
        }
        ctx.json(Json.object().put("ok", true).set("approvals", list));
    }

    private void get(Context ctx) {
        ctx.json(Json.object().put("ok", true)
                .set("approval", Wire.approval(approvals.find(Owner.of(ctx), ctx.pathParam("approvalId")))));
    }

    /** Answers a question; a replayed {@code Idempotency-Key} gets the stored answer back instead of a conflict. */
    private void answer(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "status", "formData", "rememberChoice", "reason");
        String status = body.requiredString("status");
        if (!ANSWERS.contains(status)) {
            throw new InvalidInputException("status", "must be one of approved, denied, cancelled");
        }
        JsonNode formData = body.get("formData");
        if (formData != null && !formData.isObject()) {
            throw new InvalidInputException("formData", "must be a JSON object");
        }
        String reason = body.optionalString("reason");
        if (reason != null && reason.length() > MAX_REASON) {
            throw new InvalidInputException("reason", "must be at most " + MAX_REASON + " characters");
        }
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_KEY)) {
            throw new InvalidInputException("Idempotency-Key", "must be 1.." + MAX_KEY + " characters");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> form = formData == null ? null : Json.MAPPER.convertValue(formData, Map.class);
        ApprovalDecision decision = new ApprovalDecision(ApprovalStatus.fromWire(status), form, reason,
                body.optionalBoolean("rememberChoice", false));
        Approval answered = approvals.answer(Owner.of(ctx), ctx.pathParam("approvalId"), decision, key);
        ctx.json(Json.object()
                .put("ok", true)
                .put("approvalId", answered.id())
                .put("status", answered.status().wireName()));
    }
}
