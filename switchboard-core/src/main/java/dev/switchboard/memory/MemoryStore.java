package dev.switchboard.memory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Where memories are kept; every call is scoped to one owner. */
public interface MemoryStore {

    void add(Memory memory);

    /** Replaces the stored memory of the same id and owner; false when there is none. */
    boolean update(Memory memory);

    Optional<Memory> find(String ownerId, String id);

    /** False when the owner has no such memory. */
    boolean delete(String ownerId, String id);

    /** The owner's memories passing {@code filter}, newest first. */
    List<Memory> list(String ownerId, MemoryFilter filter, int limit, int offset);

    /** The owner's memories of these ids, in no particular order; unknown ids are skipped. */
    List<Memory> findAll(String ownerId, Collection<String> ids);
}
