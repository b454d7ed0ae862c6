package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.notification.Notification;
import dev.switchboard.notification.Notifications;
import io.javalin.http.Context;

/** Seed 002's {@code /api/notifications}: the caller's notifications, paginated, and marking them read. */
public final class NotificationApi {

    private final Notifications notifications;

    public NotificationApi(Notifications notifications) {
        this.notifications = notifications;
    }

    public void register(Routes routes) {
        routes.get("/api/notifications", this::list)
                .post("/api/notifications/read-all", this::readAll)
                .post("/api/notifications/{notificationId}/read", this::read);
    }

    private void list(Context ctx) {
        int page = AdminApi.intParam(ctx, "page", 1, 1, 1_000_000);
        int limit = AdminApi.intParam(ctx, "limit", 20, 1, Notifications.MAX_LIMIT);
        String unread = ctx.queryParam("unread");
        if (unread != null && !unread.equals("true") && !unread.equals("false")) {
            throw new InvalidInputException("unread", "must be true or false");
        }
        Notifications.Page found = notifications.list(Owner.of(ctx), "true".equals(unread), page, limit);
        ArrayNode list = Json.MAPPER.createArrayNode();
        found.notifications().forEach(n -> list.add(wire(n)));
        ObjectNode json = Json.object();
        json.set("notifications", list);
        ctx.json(json.put("total", found.total())
                .put("unread", found.unread())
                .put("page", found.page())
                .put("limit", found.limit())
                .put("hasMore", (long) found.page() * found.limit() < found.total()));
    }

    private void read(Context ctx) {
        String id = ctx.pathParam("notificationId");
        notifications.markRead(Owner.of(ctx), id);
        ctx.json(Json.object().put("ok", true).put("id", id).put("read", true));
    }

    private void readAll(Context ctx) {
        ctx.json(Json.object().put("ok", true).put("marked", notifications.markAllRead(Owner.of(ctx))));
    }

    /** The one wire shape of a notification, for this API and the realtime faces. */
    public static ObjectNode wire(Notification n) {
        ObjectNode node = Json.object()
                .put("id", n.id())
                .put("type", n.type())
                .put("title", n.title())
                .put("body", n.body())
                .put("read", n.read())
                .put("createdAt", n.createdAt().toString());
        ObjectNode data = node.putObject("data");
        n.data().forEach(data::put);
        return node;
    }
}
