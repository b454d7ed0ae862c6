package dev.switchboard.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.event.EventPayload;
import dev.switchboard.event.EventPayload.PlanItem;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code todo_write}: the agent's plan. Each call replaces the whole list and announces it as {@code plan:updated};
 * the current plan is the last successful call's arguments, kept by the conversation's history.
 */
public final class TodoWriteTool extends BuiltInTool {

    static final int MAX_ITEMS = 100;
    private static final Set<String> STATUSES = Set.of("pending", "in_progress", "completed");

    public TodoWriteTool() {
        super("todo_write", ToolRisk.READS, """
                Writes your plan for the current task as a todo list the user can follow. Each call replaces the \
                whole list: send every item each time, with its status (pending, in_progress or completed). Use it \
                for work of several steps; keep one item in_progress at a time and mark items completed as soon \
                as they are done.""", """
                {"type":"object","properties":{\
                "items":{"type":"array","maxItems":100,"items":{"type":"object","properties":{\
                "content":{"type":"string","minLength":1,"description":"what to do, in a few words"},\
                "status":{"type":"string","enum":["pending","in_progress","completed"]},\
                "id":{"type":"string","minLength":1,"description":"a stable id; the item's position when omitted"}},\
                "required":["content","status"],"additionalProperties":false}}},\
                "required":["items"],"additionalProperties":false}""");
    }

    @Override
    ToolOutcome run(Arguments arguments, ToolContext context) {
        JsonNode list = arguments.get("items");
        if (list == null || !list.isArray()) {
            throw new ToolFailure("'items' must be an array of {content, status}");
        }
        if (list.size() > MAX_ITEMS) {
            throw new ToolFailure("a plan holds at most " + MAX_ITEMS + " items");
        }
        List<PlanItem> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode node : list) {
            String content = node.path("content").isTextual() ? node.path("content").asText().strip() : "";
            String status = node.path("status").asText("");
            String id = node.path("id").isTextual() ? node.path("id").asText() : String.valueOf(items.size() + 1);
            if (content.isEmpty()) {
                throw new ToolFailure("item " + (items.size() + 1) + " has no content");
            }
            if (!STATUSES.contains(status)) {
                throw new ToolFailure("item " + (items.size() + 1) + " has status '" + status + "'; it must be "
                        + "pending, in_progress or completed");
            }
            if (!ids.add(id)) {
                throw new ToolFailure("id '" + id + "' is used by more than one item");
            }
            items.add(new PlanItem(id, content, status));
        }
        context.interaction().publish(new EventPayload.PlanUpdated(items));
        return ToolOutcome.success(render(items));
    }

    static String render(List<PlanItem> items) {
        if (items.isEmpty()) {
            return "Plan cleared.";
        }
        long done = items.stream().filter(i -> i.status().equals("completed")).count();
        StringBuilder out = new StringBuilder("Plan (" + done + " of " + items.size() + " completed):\n");
        for (PlanItem item : items) {
            String mark = switch (item.status()) {
                case "completed" -> "[x]";
                case "in_progress" -> "[>]";
                default -> "[ ]";
            };
            out.append(mark).append(' ').append(item.content()).append(" (").append(item.id()).append(")\n");
        }
        return out.toString();
    }
}
