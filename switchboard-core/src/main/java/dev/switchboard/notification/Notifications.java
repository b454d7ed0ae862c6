package dev.switchboard.notification;

import dev.switchboard.Ids;
import dev.switchboard.approval.ApprovalRequest;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' notifications: stored per owner, then handed to every listener (push to devices, realtime faces). Hooks,
 * waiting approvals and schedule results produce them through {@link #notify}.
 */
public final class Notifications {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    public static final int MAX_TITLE = 200;
    public static final int MAX_BODY = 4_000;
    public static final int MAX_LIMIT = 100;

    /** One page of an owner's notifications, with the counts a client shows. */
    public record Page(List<Notification> notifications, int total, int unread, int page, int limit) {
    }

    private final NotificationStore store;
    private final Clock clock;
    private final List<Consumer<Notification>> listeners = new CopyOnWriteArrayList<>();

    public Notifications(NotificationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Called with every new notification, after it is stored; listeners must not block. */
    public void onCreated(Consumer<Notification> listener) {
        listeners.add(listener);
    }

    /** Stores a notification for the owner and tells the listeners. Long titles and bodies are cut, not refused. */
    public Notification notify(String ownerId, String type, String title, String body, Map<String, String> data) {
        Notification notification = new Notification(Ids.next("ntf"), ownerId, type, cut(title, MAX_TITLE),
                cut(body == null ? "" : body, MAX_BODY), data, false, clock.instant());
        store.add(notification);
        for (Consumer<Notification> listener : listeners) {
            try {
                listener.accept(notification);
            } catch (RuntimeException e) {
                LOG.warn("A notification listener failed on {}: {}", notification.id(), e.toString());
            }
        }
        return notification;
    }

    /** An approval waits for its owner: the notification the push face and the realtime faces carry. */
    public void approvalRequested(ApprovalRequest request) {
        String what = request.toolName() != null ? request.toolName() : request.type();
        notify(request.ownerId(), "approval", "Approval needed", "'" + what + "' is waiting for your approval",
                Map.of("approvalId", request.id(), "sessionId", request.sessionId()));
    }

    /** @param page from 1 */
    public Page list(String ownerId, boolean unreadOnly, int page, int limit) {
        if (page < 1) {
            throw new InvalidInputException("page", "must be 1 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        long offset = (long) (page - 1) * limit;
        List<Notification> found = offset > Integer.MAX_VALUE ? List.of()
                : store.list(ownerId, unreadOnly, limit, (int) offset);
        return new Page(found, store.count(ownerId, unreadOnly), store.count(ownerId, true), page, limit);
    }

    public void markRead(String ownerId, String id) {
        if (!store.markRead(ownerId, id)) {
            throw new NotFoundException("notification", id);
        }
    }

    /** How many were unread. */
    public int markAllRead(String ownerId) {
        return store.markAllRead(ownerId);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
