package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.userprofile.UserFact;
import dev.switchboard.userprofile.UserProfiles;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/user-profile} (seed 003): the facts the server learned about the caller from their conversations; the
 * caller corrects ({@code PATCH}) or deletes them. Only the caller's own facts are ever seen.
 */
public final class UserProfileApi {

    private final UserProfiles profiles;
    private final AuditLog audit;
    private final boolean learning;

    /** @param learning whether conversations are learned from (shown, so a client can explain an empty profile) */
    public UserProfileApi(UserProfiles profiles, AuditLog audit, boolean learning) {
        this.profiles = profiles;
        this.audit = audit;
        this.learning = learning;
    }

    public void register(Routes routes) {
        routes.get("/api/user-profile", this::profile)
                .patch("/api/user-profile/facts/{factId}", this::correct)
                .delete("/api/user-profile/facts/{factId}", this::delete);
    }

    private void profile(Context ctx) {
        List<UserFact> facts = profiles.facts(Owner.of(ctx));
        ObjectNode json = Json.object().put("learning", learning);
        ArrayNode list = json.putArray("facts");
        facts.forEach(f -> list.add(wire(f)));
        facts.stream().map(UserFact::updatedAt).max(java.util.Comparator.naturalOrder())
                .ifPresentOrElse(at -> json.put("updatedAt", at.toString()), () -> json.putNull("updatedAt"));
        ctx.json(json);
    }

    private void correct(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "fact", "confidence", "contradicted");
        String fact = body.optionalString("fact");
        Double confidence = null;
        JsonNode given = body.get("confidence");
        if (given != null) {
            if (!given.isNumber() || given.doubleValue() < 0 || given.doubleValue() > 1) {
                throw new InvalidInputException("confidence", "must be a number between 0 and 1");
            }
            confidence = given.doubleValue();
        }
        Boolean contradicted = body.get("contradicted") == null ? null : body.optionalBoolean("contradicted", false);
        if (fact == null && confidence == null && contradicted == null) {
            throw new InvalidInputException("fact", "give at least one of fact, confidence, contradicted");
        }
        String owner = Owner.of(ctx);
        UserFact corrected = profiles.correct(owner, ctx.pathParam("factId"), fact, confidence, contradicted);
        audit.record(AuditEvent.of("user_profile.fact.update", owner, "user_fact", corrected.id(), "success",
                Map.of()));
        ctx.json(wire(corrected));
    }

    private void delete(Context ctx) {
        String owner = Owner.of(ctx);
        String factId = ctx.pathParam("factId");
        profiles.delete(owner, factId);
        audit.record(AuditEvent.of("user_profile.fact.delete", owner, "user_fact", factId, "success", Map.of()));
        ctx.json(Json.object().put("status", "deleted").put("factId", factId));
    }

    static ObjectNode wire(UserFact f) {
        ObjectNode json = Json.object()
                .put("id", f.id())
                .put("fact", f.fact())
                .put("confidence", f.confidence())
                .put("contradicted", f.contradicted())
                .put("confirmations", f.confirmations());
        if (f.sourceSessionId() == null) {
            json.putNull("sourceSessionId");
        } else {
            json.put("sourceSessionId", f.sourceSessionId());
        }
        return json.put("createdAt", f.createdAt().toString()).put("updatedAt", f.updatedAt().toString());
    }
}
