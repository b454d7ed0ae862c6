package dev.switchboard.search;

import dev.switchboard.session.Session;

/**
 * A session that holds matching messages.
 *
 * @param matchCount how many of its messages match
 * @param firstMatch the earliest of them in the session's history
 */
public record SessionHit(Session session, long matchCount, MessageHit firstMatch) {
}
