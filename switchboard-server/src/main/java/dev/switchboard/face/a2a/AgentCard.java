package dev.switchboard.face.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.face.api.Json;

/**
 * The agent card, built from the configured agents: one skill per agent (a message picks one with
 * {@code metadata.agentId}, else the default agent answers), streaming and push notifications, bearer credentials.
 * Both versions' cards list every interface: JSON-RPC v1.0 and v0.3 at {@code /jsonrpc}, HTTP+JSON v1.0 at
 * {@code /v1}.
 */
final class AgentCard {

    private static final String DESCRIPTION = "Switchboard's agents over A2A. Each skill is one agent; name it in the "
            + "message's metadata.agentId (the default agent answers otherwise). A contextId continues a conversation.";

    private AgentCard() {
    }

    /** The v1.0 card ({@code supportedInterfaces}, protobuf JSON security schemes). */
    static ObjectNode v10(AgentCatalog agents, String base, String version) {
        ObjectNode card = Json.object().put("name", "Switchboard").put("description", DESCRIPTION);
        card.set("supportedInterfaces", interfaces(base));
        card.putObject("provider").put("organization", "Switchboard").put("url", base);
        card.put("version", version);
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", true)
                .put("extendedAgentCard", false);
        card.putObject("securitySchemes").putObject("bearer").putObject("httpAuthSecurityScheme")
                .put("scheme", "Bearer")
                .put("description", "The server's API key, an access token from /api/auth/login or a personal token");
        card.putArray("securityRequirements").addObject().putObject("schemes").putObject("bearer").putArray("list");
        modes(card);
        card.set("skills", skills(agents));
        return card;
    }

    /** The v0.3 card ({@code url}, {@code preferredTransport}), with the v1.0 interfaces embedded as well. */
    static ObjectNode v03(AgentCatalog agents, String base, String version) {
        ObjectNode card = Json.object().put("protocolVersion", "0.3.0").put("name", "Switchboard")
                .put("description", DESCRIPTION).put("url", base + "/jsonrpc").put("preferredTransport", "JSONRPC");
        card.putArray("additionalInterfaces").addObject().put("url", base + "/jsonrpc").put("transport", "JSONRPC");
        card.putObject("provider").put("organization", "Switchboard").put("url", base);
        card.put("version", version);
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", true)
                .put("stateTransitionHistory", false);
        card.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "The server's API key, an access token from /api/auth/login or a personal token");
        card.putArray("security").addObject().putArray("bearer");
        modes(card);
        card.set("skills", skills(agents));
        card.put("supportsAuthenticatedExtendedCard", false);
        card.set("supportedInterfaces", interfaces(base));
        return card;
    }

    private static ArrayNode interfaces(String base) {
        ArrayNode interfaces = Json.MAPPER.createArrayNode();
        interfaces.addObject().put("url", base + "/jsonrpc").put("protocolBinding", "JSONRPC")
                .put("protocolVersion", "1.0");
        interfaces.addObject().put("url", base + "/v1").put("protocolBinding", "HTTP+JSON")
                .put("protocolVersion", "1.0");
        interfaces.addObject().put("url", base + "/jsonrpc").put("protocolBinding", "JSONRPC")
                .put("protocolVersion", "0.3");
        return interfaces;
    }

    private static void modes(ObjectNode card) {
        card.putArray("defaultInputModes").add("text/plain").add("application/json");
        card.putArray("defaultOutputModes").add("text/plain");
    }

    private static ArrayNode skills(AgentCatalog agents) {
        ArrayNode skills = Json.MAPPER.createArrayNode();
        for (AgentDefinition agent : agents.all()) {
            ObjectNode skill = skills.addObject().put("id", agent.id())
                    .put("name", agent.name() == null || agent.name().isBlank() ? agent.id() : agent.name())
                    .put("description", agent.description() == null || agent.description().isBlank()
                            ? "The agent '" + agent.id() + "'" : agent.description());
            ArrayNode tags = skill.putArray("tags").add("agent");
            if (agent.id().equals(agents.defaultAgentId())) {
                tags.add("default");
            }
            skill.putArray("inputModes").add("text/plain").add("application/json");
            skill.putArray("outputModes").add("text/plain");
        }
        return skills;
    }
}
