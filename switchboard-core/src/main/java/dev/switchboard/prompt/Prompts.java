package dev.switchboard.prompt;

import dev.switchboard.content.BlobStore;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpPromptInfo;
import dev.switchboard.mcp.McpPromptResult;
import dev.switchboard.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompts a user can pick: those of an agent's MCP servers (named {@code <server>:<prompt>}) and the custom
 * templates users store, whose {@code {{argument}}} placeholders are filled in when resolved.
 */
public final class Prompts {

    /** Custom prompt names: letters, digits, {@code -_.}, 1..64 characters; no ':' so they never look like MCP's. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
    public static final int MAX_CONTENT = 100_000;
    public static final int MAX_RESOURCE_BYTES = 10 * 1024 * 1024;

    private final Store store;
    private final BlobStore blobs;
    private final McpConnections mcp;
    private final Clock clock;

    public Prompts(Store store, BlobStore blobs, McpConnections mcp, Clock clock) {
        this.store = store;
        this.blobs = blobs;
        this.mcp = mcp;
        this.clock = clock;
    }

    /** The agent's MCP prompts, then the owner's custom ones. */
    public List<PromptInfo> list(String ownerId, String agentId) {
        List<PromptInfo> all = new ArrayList<>();
        for (McpPromptInfo p : mcp.prompts(agentId)) {
            all.add(new PromptInfo(p.server() + ":" + p.name(), p.title(), p.description(), p.arguments(), "mcp",
                    p.server(), null));
        }
        for (CustomPrompt p : store.listPrompts(ownerId)) {
            all.add(info(p));
        }
        return all;
    }

    public PromptInfo get(String ownerId, String agentId, String name) {
        int colon = name.indexOf(':');
        if (colon > 0) {
            String server = name.substring(0, colon);
            String prompt = name.substring(colon + 1);
            return mcp.prompts(agentId).stream()
                    .filter(p -> p.server().equals(server) && p.name().equals(prompt))
                    .findFirst()
                    .map(p -> new PromptInfo(name, p.title(), p.description(), p.arguments(), "mcp", server, null))
                    .orElseThrow(() -> new NotFoundException("prompt", name));
        }
        return info(custom(ownerId, name));
    }

    /** An attachment as the client sent it. */
    public record Upload(byte[] data, String mimeType, String filename) {
    }

    /**
     * Stores a custom prompt. Every {@code {{placeholder}}} of the content must be a declared argument.
     *
     * @throws dev.switchboard.failure.ConflictException when the owner already has a prompt of that name
     */
    public PromptInfo create(String ownerId, String name, String title, String description, String content,
            List<PromptArgument> arguments, Upload resource) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name",
                    "must be 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (content == null || content.isBlank()) {
            throw new InvalidInputException("content", "is required and must not be empty");
        }
        if (content.length() > MAX_CONTENT) {
            throw new InvalidInputException("content", "must be at most " + MAX_CONTENT + " characters");
        }
        Set<String> declared = new HashSet<>();
        for (int i = 0; i < arguments.size(); i++) {
            PromptArgument argument = arguments.get(i);
            if (argument.name() == null || !PLACEHOLDER.matcher("{{" + argument.name() + "}}").matches()) {
                throw new InvalidInputException("arguments[" + i + "].name",
                        "must be letters, digits, '.', '_' or '-'");
            }
            if (!declared.add(argument.name())) {
                throw new InvalidInputException("arguments[" + i + "].name",
                        "'" + argument.name() + "' is declared twice");
            }
        }
        Matcher used = PLACEHOLDER.matcher(content);
        while (used.find()) {
            if (!declared.contains(used.group(1))) {
                throw new InvalidInputException("content", "uses {{" + used.group(1)
                        + "}}, which is not a declared argument");
            }
        }
        CustomPrompt.Attachment attachment = null;
        if (resource != null) {
            if (resource.data().length > MAX_RESOURCE_BYTES) {
                throw new InvalidInputException("resource.data", "must be at most 10 MB");
            }
            attachment = new CustomPrompt.Attachment(blobs.put(resource.data(), resource.mimeType()),
                    resource.mimeType(), resource.filename(), resource.data().length);
        }
        CustomPrompt prompt = new CustomPrompt(ownerId, name, title, description, content, arguments, attachment,
                clock.instant());
        store.savePrompt(prompt);
        return info(prompt);
    }

    /** Deletes a custom prompt; an MCP server's prompts cannot be deleted here. */
    public void delete(String ownerId, String name) {
        if (name.contains(":")) {
            throw new InvalidInputException("name", "'" + name + "' belongs to an MCP server; only custom prompts "
                    + "can be deleted");
        }
        if (!store.deletePrompt(ownerId, name)) {
            throw new NotFoundException("prompt", name);
        }
    }

    /**
     * Fills the prompt in. A custom prompt's required arguments must be given; {@code context}, when given, is
     * added after the text.
     */
    public ResolvedPrompt resolve(String ownerId, String agentId, String name, Map<String, String> args,
            String context) {
        ResolvedPrompt resolved;
        int colon = name.indexOf(':');
        if (colon > 0) {
            resolved = resolveMcp(agentId, name.substring(0, colon), name.substring(colon + 1), args);
        } else {
            CustomPrompt prompt = custom(ownerId, name);
            for (PromptArgument argument : prompt.arguments()) {
                String value = args.get(argument.name());
                if (argument.required() && (value == null || value.isBlank())) {
                    throw new InvalidInputException("args." + argument.name(), "is required by prompt '" + name + "'");
                }
            }
            Matcher placeholders = PLACEHOLDER.matcher(prompt.content());
            String text = placeholders.replaceAll(m -> Matcher.quoteReplacement(args.getOrDefault(m.group(1), "")));
            List<String> resources = prompt.resource() == null ? List.of()
                    : List.of("blob:" + prompt.resource().blobId());
            resolved = new ResolvedPrompt(text, resources);
        }
        if (context == null || context.isBlank()) {
            return resolved;
        }
        return new ResolvedPrompt(resolved.text() + "\n\n" + context.strip(), resolved.resources());
    }

    private ResolvedPrompt resolveMcp(String agentId, String server, String prompt, Map<String, String> args) {
        McpPromptResult result = mcp.prompt(agentId, server, prompt, args);
        StringBuilder text = new StringBuilder();
        List<String> resources = new ArrayList<>();
        for (McpPromptResult.Message message : result.messages()) {
            if (message.text() != null && !message.text().isEmpty()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(message.text());
            }
            if (message.uri() != null) {
                resources.add(message.uri());
            }
        }
        return new ResolvedPrompt(text.toString(), resources);
    }

    private CustomPrompt custom(String ownerId, String name) {
        return store.findPrompt(ownerId, name).orElseThrow(() -> new NotFoundException("prompt", name));
    }

    private static PromptInfo info(CustomPrompt p) {
        return new PromptInfo(p.name(), p.title(), p.description(), p.arguments(), "custom", null,
                p.resource() == null ? null : "blob:" + p.resource().blobId());
    }
}
