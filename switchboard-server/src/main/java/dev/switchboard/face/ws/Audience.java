package dev.switchboard.face.ws;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The open connections of a realtime face, indexed by owner: an event of a session reaches its owner's connections
 * and every administrator's, and nobody else's.
 */
public final class Audience<C> {

    private final Map<String, Set<C>> byOwner = new ConcurrentHashMap<>();
    private final Set<C> admins = ConcurrentHashMap.newKeySet();

    /** Adds a connection of {@code ownerId}; an administrator's connection also sees every other owner's events. */
    public void add(String ownerId, boolean admin, C connection) {
        if (admin) {
            admins.add(connection);
        } else {
            byOwner.computeIfAbsent(ownerId, k -> ConcurrentHashMap.newKeySet()).add(connection);
        }
    }

    public void remove(String ownerId, C connection) {
        admins.remove(connection);
        byOwner.computeIfPresent(ownerId, (k, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether anyone is connected at all; spares the work of an event nobody would receive. */
    public boolean isEmpty() {
        return admins.isEmpty() && byOwner.isEmpty();
    }

    /** Visits each connection that may see {@code ownerId}'s events, once. */
    public void forEach(String ownerId, Consumer<C> visit) {
        Set<C> own = byOwner.get(ownerId);
        if (own != null) {
            own.forEach(visit);
        }
        admins.forEach(visit);
    }

    /** Every open connection, for closing them at shutdown. */
    public void forEachConnection(Consumer<C> visit) {
        byOwner.values().forEach(set -> set.forEach(visit));
        admins.forEach(visit);
    }

    /** How many connections are open. */
    public int size() {
        return admins.size() + byOwner.values().stream().mapToInt(Set::size).sum();
    }
}
