package dev.switchboard.team;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-to-agent bus: every message between agents is stored with a sequence number, then handed to the
 * listeners (the realtime faces show them as {@code bus:message}).
 */
public final class Bus {

    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

    private final TeamStore store;
    private final List<Consumer<BusMessage>> listeners = new CopyOnWriteArrayList<>();

    public Bus(TeamStore store) {
        this.store = store;
    }

    /** Stores the message and tells every listener; returns it with its sequence number. */
    public BusMessage send(BusMessage message) {
        BusMessage stored = store.append(message);
        for (Consumer<BusMessage> listener : listeners) {
            try {
                listener.accept(stored);
            } catch (RuntimeException e) {
                LOG.warn("A bus listener failed on message {}: {}", stored.seq(), e.toString());
            }
        }
        return stored;
    }

    /**
     * Sees every bus message once it is stored, on the sending thread: it must be quick.
     *
     * @return closing it removes the listener
     */
    public AutoCloseable onMessage(Consumer<BusMessage> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The owner's last {@code limit} messages, oldest first. */
    public List<BusMessage> recent(String ownerId, int limit) {
        return store.recentMessages(ownerId, limit);
    }
}
