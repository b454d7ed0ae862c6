package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpResourceContents;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.prompt.PromptArgument;
import dev.switchboard.prompt.PromptInfo;
import dev.switchboard.tool.Tool;
import java.util.List;
import java.util.Map;

/** The JSON shapes of MCP servers, tools, resources and prompts (seed 004). */
public final class McpWire {

    private McpWire() {
    }

    /**
     * A server and its state; env and header values are masked unless they are {@code $VAR} references.
     *
     * @param persisted whether the agent's file declares it
     */
    public static ObjectNode server(McpServerState s, boolean persisted) {
        McpServerDeclaration d = s.declaration();
        ObjectNode json = Json.object()
                .put("id", s.name())
                .put("name", s.name())
                .put("agentId", s.agentId())
                .put("type", d.type())
                .put("status", s.status())
                .put("enabled", d.enabled())
                .put("connectionMode", d.connectionMode())
                .put("persisted", persisted)
                .put("toolCount", s.tools().size())
                .put("reconnectAttempts", s.reconnectAttempts());
        if (s.error() != null) {
            json.put("error", s.error());
        }
        if (s.connectedAt() != null) {
            json.put("connectedAt", s.connectedAt().toEpochMilli());
        }
        if (s.serverInfo() != null) {
            json.put("serverInfo", s.serverInfo());
        }
        ArrayNode tools = json.putArray("tools");
        s.tools().forEach(t -> tools.add(t.name()));
        json.set("config", config(d));
        return json;
    }

    static ObjectNode config(McpServerDeclaration d) {
        ObjectNode config = Json.object().put("type", d.type());
        if (d.command() != null) {
            config.put("command", d.command());
        }
        if (!d.args().isEmpty()) {
            ArrayNode args = config.putArray("args");
            d.args().forEach(args::add);
        }
        if (!d.env().isEmpty()) {
            config.set("env", masked(d.env()));
        }
        if (d.url() != null) {
            config.put("url", maskedUrl(d.url()));
        }
        if (!d.headers().isEmpty()) {
            config.set("headers", masked(d.headers()));
        }
        return config.put("timeout", d.timeoutMs()).put("connectionMode", d.connectionMode())
                .put("enabled", d.enabled());
    }

    /**
     * A server URL without what may be a secret in it: user information and query values (other than
     * {@code $VAR} references) are masked, as some hosted MCP servers take their key there.
     */
    static String maskedUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            return "********";
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            return "********";
        }
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        StringBuilder masked = new StringBuilder(uri.getScheme()).append("://")
                .append(at < 0 ? authority : "****@" + authority.substring(at + 1))
                .append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            masked.append('?');
            String[] pairs = uri.getRawQuery().split("&");
            for (int i = 0; i < pairs.length; i++) {
                int equals = pairs[i].indexOf('=');
                String value = equals < 0 ? "" : pairs[i].substring(equals + 1);
                masked.append(i == 0 ? "" : "&").append(equals < 0 ? pairs[i] : pairs[i].substring(0, equals + 1)
                        + (value.startsWith("$") || value.startsWith("%24") ? value : "****"));
            }
        }
        return masked.toString();
    }

    /** Values that may be secrets are never echoed: a {@code $VAR} reference is shown, anything else masked. */
    private static ObjectNode masked(Map<String, String> values) {
        ObjectNode json = Json.object();
        values.forEach((k, v) -> json.put(k, v != null && v.strip().startsWith("$") ? v : "********"));
        return json;
    }

    public static ObjectNode tool(McpToolInfo t) {
        ObjectNode json = Json.object()
                .put("id", t.qualifiedName())
                .put("name", t.name());
        if (t.title() != null) {
            json.put("title", t.title());
        }
        json.put("description", t.description() == null ? "" : t.description());
        json.set("inputSchema", schema(t.inputSchema()));
        if (t.readOnly()) {
            json.put("readOnlyHint", true);
        }
        return json;
    }

    /** A tool of any source as {@code GET /api/tools} lists it. */
    public static ObjectNode anyTool(Tool tool) {
        ObjectNode json = Json.object()
                .put("id", tool.spec().name())
                .put("name", tool.spec().name())
                .put("description", tool.spec().description() == null ? "" : tool.spec().description())
                .put("source", tool.origin().source())
                .put("risk", tool.risk().name().toLowerCase(java.util.Locale.ROOT));
        if (tool.origin().server() != null) {
            json.put("serverName", tool.origin().server()).put("originalName", tool.origin().originalName());
        }
        json.set("inputSchema", schema(tool.spec().parametersSchema()));
        return json;
    }

    public static JsonNode schema(String text) {
        if (text == null || text.isBlank()) {
            return Json.object().put("type", "object");
        }
        return Wire.jsonOrText(text);
    }

    /**
     * A resource. {@code qualified} names it {@code mcp:<server>:<uri>}, the form the server-wide resource routes
     * take; the per-server routes use the server's own URI.
     */
    public static ObjectNode resource(McpResource r, boolean qualified) {
        ObjectNode json = Json.object()
                .put("uri", qualified ? "mcp:" + r.server() + ":" + r.uri() : r.uri())
                .put("name", r.name() == null ? r.uri() : r.name());
        if (r.description() != null) {
            json.put("description", r.description());
        }
        if (r.mimeType() != null) {
            json.put("mimeType", r.mimeType());
        }
        json.put("source", "mcp").put("serverName", r.server());
        if (r.size() != null) {
            json.put("size", r.size());
        }
        return json;
    }

    public static ObjectNode contents(McpResourceContents contents) {
        ObjectNode json = Json.object();
        ArrayNode items = json.putArray("contents");
        for (McpResourceContents.Item item : contents.contents()) {
            ObjectNode o = items.addObject().put("uri", item.uri());
            if (item.mimeType() != null) {
                o.put("mimeType", item.mimeType());
            }
            if (item.text() != null) {
                o.put("text", item.text());
            }
            if (item.blob() != null) {
                o.put("blob", item.blob());
            }
        }
        return json;
    }

    public static ObjectNode prompt(PromptInfo p) {
        ObjectNode json = Json.object().put("name", p.name());
        if (p.title() != null) {
            json.put("title", p.title());
        }
        if (p.description() != null) {
            json.put("description", p.description());
        }
        json.set("arguments", arguments(p.arguments()));
        json.put("source", p.source());
        ObjectNode metadata = json.putObject("metadata");
        if (p.server() != null) {
            metadata.put("serverName", p.server());
        }
        if (p.resourceUri() != null) {
            metadata.put("resourceUri", p.resourceUri());
        }
        return json;
    }

    private static ArrayNode arguments(List<PromptArgument> arguments) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (PromptArgument a : arguments) {
            ObjectNode o = array.addObject().put("name", a.name()).put("required", a.required());
            if (a.description() != null) {
                o.put("description", a.description());
            }
        }
        return array;
    }
}
