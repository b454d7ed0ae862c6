package dev.switchboard.operator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The most recent log events in memory: one ring of warnings and errors and one of everything at INFO and above,
 * so that a burst of INFO lines never pushes the last errors out. A server owns one; the logging backend feeds it.
 */
public final class RecentLogs {

    /** Longer messages are cut: a ring of a few hundred events must stay small. */
    public static final int MAX_MESSAGE = 2000;

    private final int errorCapacity;
    private final int logCapacity;
    private final ArrayDeque<LogEntry> errors;
    private final ArrayDeque<LogEntry> logs;
    private long seq;

    public RecentLogs(int errorCapacity, int logCapacity) {
        if (errorCapacity < 1 || logCapacity < 1) {
            throw new IllegalArgumentException("capacities must be at least 1");
        }
        this.errorCapacity = errorCapacity;
        this.logCapacity = logCapacity;
        this.errors = new ArrayDeque<>(errorCapacity);
        this.logs = new ArrayDeque<>(logCapacity);
    }

    /** Records an event of {@code level} (DEBUG and TRACE are ignored). */
    public synchronized void record(Instant at, String level, String logger, String thread, String message,
            String exception) {
        String upper = level.toUpperCase(Locale.ROOT);
        if (!upper.equals("ERROR") && !upper.equals("WARN") && !upper.equals("INFO")) {
            return;
        }
        String text = message == null ? "" : message;
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE) + "…";
        }
        LogEntry entry = new LogEntry(++seq, at, upper, logger, thread, text, exception);
        push(logs, logCapacity, entry);
        if (!upper.equals("INFO")) {
            push(errors, errorCapacity, entry);
        }
    }

    /** Warnings and errors at or after {@code since} (all when null), newest first, at most {@code limit}. */
    public synchronized List<LogEntry> errors(Instant since, int limit) {
        return newest(errors, since, limit);
    }

    /** Events of INFO and above at or after {@code since} (all when null), newest first, at most {@code limit}. */
    public synchronized List<LogEntry> logs(Instant since, int limit) {
        return newest(logs, since, limit);
    }

    /** How many events of exactly {@code level} the error ring holds at or after {@code since}. */
    public synchronized int count(String level, Instant since) {
        int count = 0;
        for (LogEntry entry : errors) {
            if (entry.level().equals(level) && !entry.at().isBefore(since)) {
                count++;
            }
        }
        return count;
    }

    public int errorCapacity() {
        return errorCapacity;
    }

    public int logCapacity() {
        return logCapacity;
    }

    private static void push(ArrayDeque<LogEntry> ring, int capacity, LogEntry entry) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(entry);
    }

    private static List<LogEntry> newest(ArrayDeque<LogEntry> ring, Instant since, int limit) {
        List<LogEntry> found = new ArrayList<>(Math.min(limit, ring.size()));
        var it = ring.descendingIterator();
        while (it.hasNext() && found.size() < limit) {
            LogEntry entry = it.next();
            if (since != null && entry.at().isBefore(since)) {
                break;
            }
            found.add(entry);
        }
        return found;
    }
}
