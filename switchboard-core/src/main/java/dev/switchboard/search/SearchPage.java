package dev.switchboard.search;

import java.util.List;

/**
 * One page of search results.
 *
 * @param total how many results the whole search has, across every page
 */
public record SearchPage<T>(List<T> results, long total, int offset) {

    public SearchPage {
        results = List.copyOf(results);
    }

    /** Whether a later page holds more results. */
    public boolean hasMore() {
        return offset + results.size() < total;
    }
}
