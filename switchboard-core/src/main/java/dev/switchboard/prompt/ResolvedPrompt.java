package dev.switchboard.prompt;

import java.util.List;

/**
 * A prompt filled in: the text to send and the URIs of the resources that go with it.
 *
 * @param resources {@code blob:<id>} for a custom prompt's attachment, the URIs of an MCP prompt's embedded
 *     resources
 */
public record ResolvedPrompt(String text, List<String> resources) {

    public ResolvedPrompt {
        resources = List.copyOf(resources);
    }
}
