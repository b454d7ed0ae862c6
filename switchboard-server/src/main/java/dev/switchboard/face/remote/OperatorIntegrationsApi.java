package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpServerState;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The integrations of seed 000's operator API that a desktop app runs and this server does not: the Cloudflare
 * tunnel, WhatsApp, Discord and the self-updater. Their status routes tell the truth ({@code configured: false},
 * {@code available: false}, with the reason and what would be needed); their actions answer 409
 * {@code not_available} instead of pretending to succeed. {@code /v1/operator/integrations} sums them up with the
 * push and MCP integrations, which do exist.
 */
public final class OperatorIntegrationsApi {

    /** An integration this server does not run, with why and what would take its place. */
    record Unavailable(String name, String reason, String needs) {

        ObjectNode json() {
            return Json.object().put("name", name).put("configured", false).put("available", false)
                    .put("reason", reason).put("needs", needs);
        }
    }

    static final Unavailable TUNNEL = new Unavailable("tunnel",
            "Switchboard does not start or manage a Cloudflare Tunnel",
            "run cloudflared (or another reverse proxy) yourself in front of the server; see /v1/operator/tunnel/setup");
    static final Unavailable WHATSAPP = new Unavailable("whatsapp",
            "Switchboard has no WhatsApp bridge",
            "a WhatsApp MCP server declared in an agent's mcpServers; its tools then appear under /v1/operator/mcp");
    static final Unavailable DISCORD = new Unavailable("discord",
            "Switchboard has no Discord bot",
            "a Discord MCP server declared in an agent's mcpServers, or a bot that calls /v1/chat/completions");
    static final Unavailable UPDATER = new Unavailable("updater",
            "Switchboard does not update itself: it is a server, installed and upgraded by whoever deploys it",
            "upgrade the release (jar, container image or package) with your deployment tooling and restart");

    private final String version;
    private final AgentCatalog agents;
    private final McpConnections mcp;
    private final AuditLog audit;
    private final Supplier<ObjectNode> push;

    /** @param push the push integration's state as {@code /v1/push/status} would report it */
    public OperatorIntegrationsApi(String version, AgentCatalog agents, McpConnections mcp, AuditLog audit,
            Supplier<ObjectNode> push) {
        this.version = version;
        this.agents = agents;
        this.mcp = mcp;
        this.audit = audit;
        this.push = push;
    }

    public void register(Routes routes) {
        Routes admin = routes.admin();
        admin.get("/v1/operator/integrations", this::integrations)
                .get("/v1/operator/tunnel", ctx -> ctx.json(TUNNEL.json().put("provider", "cloudflare")
                        .put("running", false).putNull("url")))
                .get("/v1/operator/tunnel/setup", this::tunnelSetup)
                .get("/v1/operator/whatsapp", ctx -> ctx.json(WHATSAPP.json().put("connected", false)))
                .get("/v1/operator/discord", ctx -> ctx.json(DISCORD.json().put("connected", false)))
                .get("/v1/operator/discord/logs", ctx -> ctx.json(DISCORD.json().set("logs",
                        Json.MAPPER.createArrayNode())))
                .get("/v1/operator/updater", ctx -> ctx.json(UPDATER.json().put("currentVersion", version)
                        .putNull("latestVersion").putNull("updateAvailable").putNull("downloadedPath")));
        refuse(admin, TUNNEL, "/v1/operator/tunnel/start", "/v1/operator/tunnel/stop");
        refuse(admin, WHATSAPP, "/v1/operator/whatsapp/connect", "/v1/operator/whatsapp/logout");
        refuse(admin, DISCORD, "/v1/operator/discord/connect", "/v1/operator/discord/disconnect",
                "/v1/operator/discord/logs/clear");
        refuse(admin, UPDATER, "/v1/operator/updater/check", "/v1/operator/updater/download-latest",
                "/v1/operator/updater/reveal-download", "/v1/operator/updater/open-download",
                "/v1/operator/updater/open-releases");
    }

    private void refuse(Routes admin, Unavailable integration, String... paths) {
        for (String path : paths) {
            String action = path.substring("/v1/operator/".length());
            admin.post(path, ctx -> {
                audit.record(AuditEvent.of("operator.integration", Owner.of(ctx), "integration", integration.name(),
                        "denied", Map.of("action", action, "reason", "not_available")).withIp(ClientAddress.of(ctx)));
                throw new ConflictException("not_available", integration.reason() + "; '" + action
                        + "' is not available. Instead: " + integration.needs(),
                        Map.of("integration", integration.name(), "action", action, "needs", integration.needs()));
            });
        }
    }

    private void tunnelSetup(Context ctx) {
        ObjectNode json = TUNNEL.json().put("provider", "cloudflare");
        ArrayNode steps = json.putArray("instructions");
        List.of("Keep the server on 127.0.0.1 and let the tunnel reach it there: "
                        + "cloudflared tunnel --url http://127.0.0.1:<port>",
                "Add the tunnel's host name to mcpServer.allowedHosts in switchboard.yml if clients use /mcp through it",
                "Clients authenticate as on any address: Authorization: Bearer <API key or personal access token>; "
                        + "pair a phone with 'switchboard pair --url https://<tunnel host>'")
                .forEach(steps::add);
        ctx.json(json);
    }

    private void integrations(Context ctx) {
        ObjectNode all = Json.object();
        all.set("tunnel", TUNNEL.json());
        all.set("whatsapp", WHATSAPP.json());
        all.set("discord", DISCORD.json());
        all.set("updater", UPDATER.json());
        all.set("push", push.get());
        int connected = 0;
        int total = 0;
        for (AgentDefinition agent : agents.all()) {
            for (McpServerState server : mcp.servers(agent.id())) {
                total++;
                connected += server.connected() ? 1 : 0;
            }
        }
        all.putObject("mcp").put("name", "mcp").put("configured", total > 0).put("available", true)
                .put("connected", connected).put("total", total);
        ctx.json(Json.object().set("integrations", all));
    }
}
