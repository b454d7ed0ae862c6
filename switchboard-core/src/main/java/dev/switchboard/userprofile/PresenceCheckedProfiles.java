package dev.switchboard.userprofile;

import dev.switchboard.context.OwnerPresence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A {@link UserProfileStore} that remembers which owners have no facts, so that their runs read none: every run
 * asks for the facts of its owner, and most owners have none until a conversation has been learned from. Every
 * write to the facts must go through this object for that to hold.
 */
public final class PresenceCheckedProfiles implements UserProfileStore {

    private final UserProfileStore store;
    private final OwnerPresence present;

    public PresenceCheckedProfiles(UserProfileStore store) {
        this.store = store;
        this.present = new OwnerPresence(owner -> !store.facts(owner).isEmpty());
    }

    @Override
    public List<UserFact> facts(String ownerId) {
        return present.has(ownerId) ? store.facts(ownerId) : List.of();
    }

    @Override
    public Optional<UserFact> find(String ownerId, String factId) {
        return store.find(ownerId, factId);
    }

    @Override
    public void save(UserFact fact) {
        try {
            store.save(fact);
        } finally {
            present.changed(fact.ownerId());
        }
    }

    @Override
    public boolean delete(String ownerId, String factId) {
        try {
            return store.delete(ownerId, factId);
        } finally {
            present.changed(ownerId);
        }
    }

    @Override
    public Optional<String> learnedThrough(String sessionId) {
        return store.learnedThrough(sessionId);
    }

    @Override
    public void markLearned(String ownerId, String sessionId, String messageId, Instant at) {
        store.markLearned(ownerId, sessionId, messageId, at);
    }
}
