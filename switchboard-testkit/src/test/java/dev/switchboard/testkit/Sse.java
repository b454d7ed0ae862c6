package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Parses a complete SSE body the way a client would, keeping event names and raw data lines. */
record Sse(String event, String data) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Sse> parse(String body) {
        List<Sse> events = new ArrayList<>();
        String event = null;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("event: ")) {
                event = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                events.add(new Sse(event, line.substring("data: ".length())));
                event = null;
            }
        }
        return events;
    }

    JsonNode json() {
        try {
            return JSON.readTree(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
