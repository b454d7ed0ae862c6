package dev.switchboard.operator;

import java.time.Instant;

/**
 * One log event as the operator API shows it.
 *
 * @param seq increasing per {@link RecentLogs}, so a client can ask for what came after the last one it saw
 * @param level {@code ERROR}, {@code WARN}, {@code INFO}
 * @param message the formatted message, shortened to {@link RecentLogs#MAX_MESSAGE} characters; it is the line
 *     the log file holds, which never carries a secret (the tests' secrets scan searches that file)
 * @param exception the class of the attached exception, or null; its message is left out, since a library's
 *     exception text is not under this project's control
 */
public record LogEntry(long seq, Instant at, String level, String logger, String thread, String message,
        String exception) {
}
