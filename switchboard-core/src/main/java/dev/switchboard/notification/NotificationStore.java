package dev.switchboard.notification;

import java.util.List;

/** Where notifications are kept; every call is scoped to one owner. */
public interface NotificationStore {

    void add(Notification notification);

    /** The owner's notifications, newest first; only unread ones when {@code unreadOnly}. */
    List<Notification> list(String ownerId, boolean unreadOnly, int limit, int offset);

    int count(String ownerId, boolean unreadOnly);

    /** False when the owner has no such notification. */
    boolean markRead(String ownerId, String id);

    /** How many were unread. */
    int markAllRead(String ownerId);
}
