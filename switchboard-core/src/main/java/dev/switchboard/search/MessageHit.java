package dev.switchboard.search;

import dev.switchboard.session.Message;

/**
 * A message that matched a search.
 *
 * @param messageIndex where the message stands in its session's history, counting from 0
 */
public record MessageHit(Message message, long messageIndex) {
}
