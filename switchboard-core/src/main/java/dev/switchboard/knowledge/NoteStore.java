package dev.switchboard.knowledge;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Where knowledge notes are kept; every call is scoped to one owner. */
public interface NoteStore {

    void add(Note note);

    /** Replaces the stored note of the same id and owner; false when there is none. */
    boolean update(Note note);

    Optional<Note> find(String ownerId, String id);

    boolean delete(String ownerId, String id);

    /** The owner's notes, newest first; {@code context} null for all. */
    List<Note> list(String ownerId, NoteContext context, int limit, int offset);

    List<Note> findAll(String ownerId, Collection<String> ids);
}
