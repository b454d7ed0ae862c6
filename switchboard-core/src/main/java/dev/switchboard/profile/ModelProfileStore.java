package dev.switchboard.profile;

import java.util.List;
import java.util.Optional;

/** Where the server-wide provider/model profiles are kept. */
public interface ModelProfileStore {

    /** Stores a new profile; {@link dev.switchboard.failure.ConflictException} when the id is taken. */
    void add(ModelProfile profile);

    Optional<ModelProfile> find(String id);

    /** Every stored profile, oldest first. */
    List<ModelProfile> list();

    /** False when there was no such profile. */
    boolean delete(String id);
}
