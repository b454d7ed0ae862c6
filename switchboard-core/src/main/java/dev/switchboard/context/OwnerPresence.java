package dev.switchboard.context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Remembers, per owner, whether they have any of one kind of thing (memories, pinned memories, automatic notes,
 * profile facts), until a write of theirs: so that a run of an owner who has none asks the database nothing. Only
 * writes made through the object that holds it are seen; it is bounded, forgetting everyone when full.
 */
public final class OwnerPresence {

    private static final int MAX_OWNERS = 10_000;

    private final Predicate<String> lookup;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    /** Counts writes, so that an answer read while a write happened is not remembered (it may predate the write). */
    private final AtomicLong writes = new AtomicLong();

    /** @param lookup whether the owner has any now, asked of the store when nothing is remembered */
    public OwnerPresence(Predicate<String> lookup) {
        this.lookup = lookup;
    }

    public boolean has(String ownerId) {
        Boolean remembered = known.get(ownerId);
        if (remembered != null) {
            return remembered;
        }
        long before = writes.get();
        boolean present = lookup.test(ownerId);
        if (writes.get() == before) {
            if (known.size() >= MAX_OWNERS) {
                known.clear();
            }
            known.put(ownerId, present);
            if (writes.get() != before) {
                // a write landed between the check and the put: the answer may be stale, so it is not kept
                known.remove(ownerId);
            }
        }
        return present;
    }

    /** The owner's things changed: the next {@link #has} asks the store again. */
    public void changed(String ownerId) {
        writes.incrementAndGet();
        known.remove(ownerId);
    }
}
