package dev.switchboard.face.api;

import dev.switchboard.failure.InvalidInputException;
import java.util.Iterator;
import java.util.Set;

/** Rejects fields a request shape does not know, so typos are not silently ignored. */
public final class JsonCheck {

    private JsonCheck() {
    }

    public static void onlyFields(Body body, String... allowed) {
        Set<String> known = Set.of(allowed);
        Iterator<String> names = body.node().fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidInputException(name, "unknown field (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }
}
