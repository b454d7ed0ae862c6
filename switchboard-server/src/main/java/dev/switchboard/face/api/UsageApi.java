package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.model.ModelCatalog;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.usage.Budget;
import dev.switchboard.usage.Budgets;
import dev.switchboard.usage.UsageQuery;
import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.UsageStore;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What model calls cost ({@code /api/usage}: sums by day, model, user, agent or session from the usage ledger) and
 * the budgets that stop runs once spent ({@code /api/budgets}). Users see their own usage; administrators anyone's.
 */
public final class UsageApi {

    private final UsageStore usage;
    private final Budgets budgets;
    private final Clock clock;

    public UsageApi(UsageStore usage, Budgets budgets, Clock clock) {
        this.usage = usage;
        this.budgets = budgets;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get("/api/usage", this::report)
                .get("/api/budgets", this::listBudgets);
        routes.admin()
                .put("/api/budgets/{scope}/{subjectId}", this::saveBudget)
                .delete("/api/budgets/{scope}/{subjectId}", this::deleteBudget);
    }

    private void report(Context ctx) {
        Principal caller = Owner.principal(ctx);
        String userId = ctx.queryParam("userId");
        if (!caller.isAdmin()) {
            if (userId != null && !userId.equals(caller.userId())) {
                throw new ForbiddenException("Only administrators see other users' usage", Map.of("field", "userId"));
            }
            userId = caller.userId();
        }
        Set<String> groupBy = new LinkedHashSet<>();
        String groups = ctx.queryParam("groupBy");
        for (String g : (groups == null ? "day,model" : groups).split(",")) {
            String group = g.strip().toLowerCase(Locale.ROOT);
            if (group.isEmpty() || "none".equals(group)) {
                continue;
            }
            if (!UsageQuery.GROUPS.contains(group)) {
                throw new InvalidInputException("groupBy", "groupBy takes a comma list of "
                        + String.join(", ", UsageQuery.GROUPS.stream().sorted().toList()) + " (or none)");
            }
            groupBy.add(group);
        }
        Instant since = day(ctx, "from", false);
        Instant until = day(ctx, "to", true);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new InvalidInputException("to", "to must not be before from");
        }
        UsageQuery query = new UsageQuery(userId, ctx.queryParam("agentId"), ctx.queryParam("sessionId"),
                ctx.queryParam("model"), since, until, groupBy);
        List<UsageRow> rows = usage.report(query);
        UsageRow total = usage.report(new UsageQuery(query.ownerId(), query.agentId(), query.sessionId(),
                query.model(), since, until, Set.of())).getFirst();
        ObjectNode body = Json.object().put("currency", "USD")
                .put("pricesAsOf", ModelCatalog.bundled().pricesAsOf().toString());
        ArrayNode groupList = body.putArray("groupBy");
        groupBy.forEach(groupList::add);
        ArrayNode list = body.putArray("rows");
        rows.forEach(r -> list.add(wire(r)));
        body.set("total", wire(total));
        ctx.json(body);
    }

    private static ObjectNode wire(UsageRow r) {
        ObjectNode json = Json.object();
        putIf(json, "day", r.day());
        putIf(json, "provider", r.provider());
        putIf(json, "model", r.model());
        putIf(json, "userId", r.ownerId());
        putIf(json, "agentId", r.agentId());
        putIf(json, "sessionId", r.sessionId());
        TokenUsage u = r.usage();
        json.put("calls", r.calls()).put("cost", r.cost()).put("unpricedCalls", r.unpriced());
        json.putObject("tokenUsage").put("inputTokens", u.inputTokens()).put("outputTokens", u.outputTokens())
                .put("reasoningTokens", u.reasoningTokens()).put("cachedTokens", u.cachedInputTokens())
                .put("totalTokens", u.totalTokens());
        return json;
    }

    private static void putIf(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private void listBudgets(Context ctx) {
        Principal caller = Owner.principal(ctx);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Budget b : usage.budgets()) {
            // a user sees the agents' budgets and their own, not other users'
            if (!caller.isAdmin() && b.scope() == Budget.Scope.USER && !b.subjectId().equals(caller.userId())) {
                continue;
            }
            list.add(wire(b));
        }
        ctx.json(Json.object().set("budgets", list));
    }

    private ObjectNode wire(Budget b) {
        double spent = budgets.spentInPeriod(b);
        Instant start = b.period().start(clock.instant());
        ObjectNode json = Json.object().put("scope", b.scope().wire()).put("subjectId", b.subjectId())
                .put("limitUsd", b.limitUsd()).put("period", b.period().wire()).put("spentUsd", spent)
                .put("remainingUsd", Math.max(0, b.limitUsd() - spent)).put("exceeded", spent >= b.limitUsd())
                .put("updatedAt", b.updatedAt().toString());
        json.put("periodStart", start == null ? null : start.toString());
        return json;
    }

    private void saveBudget(Context ctx) {
        Budget.Scope scope = scope(ctx);
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "limitUsd", "period");
        Double limit = LlmApi.number(body, "limitUsd");
        if (limit == null || limit < 0 || limit.isInfinite() || limit.isNaN()) {
            throw new InvalidInputException("limitUsd", "limitUsd is required: US dollars, 0 or more");
        }
        String period = body.optionalEnum("period", Set.of("day", "month", "total"));
        Budget budget = new Budget(scope, subject(ctx), limit,
                period == null ? Budget.Period.MONTH : Budget.Period.valueOf(period.toUpperCase(Locale.ROOT)),
                clock.instant());
        usage.saveBudget(budget);
        ctx.json(wire(budget));
    }

    private void deleteBudget(Context ctx) {
        Budget.Scope scope = scope(ctx);
        String subject = subject(ctx);
        if (!usage.deleteBudget(scope, subject)) {
            throw new NotFoundException("budget", scope.wire() + "/" + subject);
        }
        ctx.json(Json.object().put("deleted", true).put("scope", scope.wire()).put("subjectId", subject));
    }

    private static Budget.Scope scope(Context ctx) {
        return switch (ctx.pathParam("scope")) {
            case "user" -> Budget.Scope.USER;
            case "agent" -> Budget.Scope.AGENT;
            default -> throw new InvalidInputException("scope", "scope must be user or agent");
        };
    }

    private static String subject(Context ctx) {
        String subject = ctx.pathParam("subjectId").strip();
        if (subject.isEmpty() || subject.length() > 128) {
            throw new InvalidInputException("subjectId", "subjectId must be a user id or an agent id");
        }
        return subject;
    }

    /** A day ({@code yyyy-MM-dd}, UTC) or an instant; {@code end}: a day means up to the end of that day. */
    private static Instant day(Context ctx, String name, boolean end) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name, name + " must be a day (2026-01-31) or an ISO-8601 instant");
        }
    }
}
