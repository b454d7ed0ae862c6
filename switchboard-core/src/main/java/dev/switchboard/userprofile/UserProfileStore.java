package dev.switchboard.userprofile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where users' learned facts are kept, and how far each conversation has been learned from. */
public interface UserProfileStore {

    /** The owner's facts, oldest first. */
    List<UserFact> facts(String ownerId);

    Optional<UserFact> find(String ownerId, String factId);

    /** Inserts the fact, or replaces the stored one with the same id. */
    void save(UserFact fact);

    /** False when the owner has no such fact. */
    boolean delete(String ownerId, String factId);

    /** The last message of the session the profile has already learned from. */
    Optional<String> learnedThrough(String sessionId);

    void markLearned(String ownerId, String sessionId, String messageId, Instant at);
}
