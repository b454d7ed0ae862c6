package dev.switchboard.search;

import dev.switchboard.session.Role;

/**
 * Full-text search over an owner's stored conversations. Every lookup is scoped to {@code ownerId}: another
 * owner's messages are never counted, returned or hinted at.
 */
public interface ConversationSearch {

    /**
     * The owner's messages that contain every phrase of {@code query}, newest first.
     *
     * @param sessionId only this session's messages, or null for all of the owner's sessions
     * @param role only messages of this role, or null for any
     */
    SearchPage<MessageHit> messages(String ownerId, SearchQuery query, String sessionId, Role role, int limit,
            int offset);

    /** The owner's sessions holding at least one matching message, most recently active first. */
    SearchPage<SessionHit> sessions(String ownerId, SearchQuery query, int limit, int offset);
}
