package dev.switchboard.user;

import dev.switchboard.failure.ConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where passkeys, the user handles they carry and the challenges of their ceremonies are kept. Shared by every
 * node, so a ceremony begun on one node can finish on another and a challenge is used once across all of them.
 */
public interface PasskeyStore {

    /**
     * The user's WebAuthn user handle: the stored one, or {@code candidate} stored now when the user has none.
     * Every passkey of a user carries the same handle, so an authenticator replaces rather than piles up its
     * credentials for the same account.
     */
    String userHandle(String userId, String candidate);

    /** The user a user handle belongs to. */
    Optional<String> userOfHandle(String userHandle);

    /** Stores a new passkey; {@link ConflictException} when its credential id is already registered. */
    void add(Passkey passkey);

    /** The user's passkeys, oldest first. */
    List<Passkey> list(String userId);

    /** The passkey with this credential id, whoever owns it. */
    Optional<Passkey> findByCredentialId(String credentialId);

    /**
     * Records a verified sign-in: the new sign count and backup state, and the time. Only succeeds while the stored
     * count is still {@code previousSignCount}, so two sign-ins racing with the same counter cannot both pass.
     *
     * @return whether the passkey was updated
     */
    boolean recordUse(String id, long previousSignCount, long signCount, boolean backupState, Instant at);

    /** Removes one of the user's passkeys; false when the user has no passkey with this id. */
    boolean delete(String userId, String id);

    /** Stores a newly issued challenge, and forgets the ones that expired before {@code challenge.createdAt()}. */
    void saveChallenge(PasskeyChallenge challenge);

    /**
     * Removes and returns the challenge when it was issued for {@code ceremony} and has not expired at {@code now}.
     * Taking is atomic: of two callers presenting the same challenge at most one gets it.
     */
    Optional<PasskeyChallenge> takeChallenge(String challenge, PasskeyChallenge.Ceremony ceremony, Instant now);
}
