package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.first;
import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents using real MCP servers from npm, through the whole server: runs, the API, crashes and refusals. */
class McpToolsEndToEndTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void startTheModel() {
        fake = FakeLlmServer.start();
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    /** The default agent: the fake model, server-everything over stdio, MCP tools allowed without asking. */
    private void agentWithEverything(String permissions) {
        TestServer.writeAgent(home, "default", """
                systemPrompt: You are a test agent.
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 6
                  maxRetries: 0
                  timeoutSeconds: 30
                tools: [current_time]
                %s
                %s
                """.formatted(fake.openAiBaseUrl(), McpPeers.everythingOverStdio("strict"), permissions));
    }

    static void awaitStatus(TestServer server, String name, String status) {
        AgentRunTest.await(() -> status.equals(server.get("/api/mcp/servers/" + name).json()
                .path("server").path("status").asText()));
    }

    @Test
    void anAgentRunCallsAnMcpToolAndAnswersFromItsResult() {
        agentWithEverything("permissions: {mode: manual, alwaysAllow: ['mcp__everything__*']}");
        fake.on(Match.lastMessageIsToolResult(), Reply.text("The server echoed it back."));
        fake.on(Match.lastUserMessageContains("echo"),
                Reply.toolCall("mcp__everything__echo", "{\"message\":\"hello from switchboard\"}"));
        try (TestServer server = TestServer.start(home)) {
            List<JsonNode> events;
            try (TestServer.SseReader sse = server.streamMessage("mcp-run", "please echo something")) {
                events = sse.readUntil(named("run:complete"));
            }

            assertThat(first(events, "llm:tool-call").path("toolName").asText()).isEqualTo("mcp__everything__echo");
            JsonNode result = first(events, "llm:tool-result");
            assertThat(result.path("success").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("result").asText()).contains("hello from switchboard");
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");
            assertThat(TestServer.names(events)).doesNotContain("approval:request");

            RecordedRequest firstCall = fake.requests().getFirst();
            assertThat(firstCall.toolNames()).contains("current_time", "mcp__everything__echo",
                    "mcp__everything__get-sum");
            assertThat(fake.requests().get(1).rawBody()).contains("hello from switchboard");
            JsonNode history = server.get("/api/sessions/mcp-run/history").json().path("history");
            assertThat(history.get(history.size() - 1).path("content").asText()).isEqualTo("The server echoed it back.");
        }
    }

    @Test
    void aKilledMcpServerGivesTheCallAnErrorResultTheRunCompletesAndTheServerComesBack() {
        agentWithEverything("permissions: {mode: manual, alwaysAllow: ['mcp__everything__*']}");
        fake.on(Match.lastMessageIsToolResult(), Reply.text("Handled."));
        fake.on(Match.lastUserMessageContains("slow"), Reply.toolCall(
                "mcp__everything__trigger-long-running-operation", "{\"duration\":30,\"steps\":30}"));
        fake.on(Match.lastUserMessageContains("echo"), Reply.toolCall("mcp__everything__echo",
                "{\"message\":\"back again\"}"));
        try (TestServer server = TestServer.start(home)) {
            List<JsonNode> events;
            try (TestServer.SseReader sse = server.streamMessage("crash", "something slow please")) {
                List<JsonNode> untilRunning = sse.readUntil(named("tool:running"));
                assertThat(untilRunning).isNotEmpty();
                assertThat(McpPeers.killEverything()).isPositive();
                events = sse.readUntil(named("run:complete"));
            }
            JsonNode failed = first(events, "llm:tool-result");
            assertThat(failed.path("success").asBoolean()).isFalse();
            assertThat(failed.path("error").asText()).isNotBlank();
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");

            awaitStatus(server, "everything", "connected");
            try (TestServer.SseReader sse = server.streamMessage("crash", "now echo")) {
                events = sse.readUntil(named("run:complete"));
            }
            JsonNode ok = first(events, "llm:tool-result");
            assertThat(ok.path("success").asBoolean()).as(ok.toString()).isTrue();
            assertThat(ok.path("result").asText()).contains("back again");
        }
    }

    @Test
    void theApiListsServersToolsResourcesAndPromptsAndCallsToolsDirectly() throws Exception {
        agentWithEverything("");
        try (TestServer server = TestServer.start(home)) {
            awaitStatus(server, "everything", "connected");
            JsonNode servers = server.get("/api/mcp/servers").json();
            assertThat(servers.path("agentId").asText()).isEqualTo("default");
            JsonNode everything = servers.path("servers").get(0);
            assertThat(everything.path("name").asText()).isEqualTo("everything");
            assertThat(everything.path("status").asText()).isEqualTo("connected");
            assertThat(everything.path("persisted").asBoolean()).isTrue();

            JsonNode tools = server.get("/api/mcp/servers/everything/tools").json().path("tools");
            assertThat(tools.findValuesAsText("name")).contains("echo", "get-sum");
            assertThat(tools.findValuesAsText("id")).contains("mcp__everything__echo");

            TestServer.Reply sum = server.post("/api/mcp/servers/everything/tools/get-sum/execute", Map.of("a", 2, "b", 40));
            assertThat(sum.status()).as(sum.body()).isEqualTo(200);
            assertThat(sum.json().path("success").asBoolean()).isTrue();
            assertThat(sum.json().path("data").asText()).contains("42");

            JsonNode all = server.get("/api/tools").json();
            assertThat(all.path("internalCount").asInt()).isEqualTo(1);
            assertThat(all.path("mcpCount").asInt()).isEqualTo(all.path("totalCount").asInt() - 1).isPositive();
            assertThat(server.get("/api/discovery").json().path("internalTools").findValuesAsText("name"))
                    .contains("current_time");

            JsonNode resources = server.get("/api/mcp/servers/everything/resources").json().path("resources");
            String uri = resources.get(0).path("uri").asText();
            assertThat(uri).startsWith("demo://");
            String encoded = java.net.URLEncoder.encode(uri, java.nio.charset.StandardCharsets.UTF_8);
            TestServer.Reply content = server.get("/api/mcp/servers/everything/resources/" + encoded + "/content");
            assertThat(content.status()).as(content.body()).isEqualTo(200);
            assertThat(content.json().path("data").path("content").path("contents").get(0).path("uri").asText())
                    .isEqualTo(uri);

            JsonNode qualified = server.get("/api/resources").json().path("resources");
            assertThat(qualified.findValuesAsText("uri")).contains("mcp:everything:" + uri);
            TestServer.Reply read = server.get("/api/resources/"
                    + java.net.URLEncoder.encode("mcp:everything:" + uri, java.nio.charset.StandardCharsets.UTF_8)
                    + "/content");
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().path("content").path("contents").get(0).path("text").asText()).isNotBlank();

            JsonNode prompts = server.get("/api/prompts").json().path("prompts");
            assertThat(prompts.findValuesAsText("name")).contains("everything:simple-prompt", "everything:args-prompt");
            TestServer.Reply resolved = server.post("/api/prompts/everything:args-prompt/resolve",
                    Map.of("args", Map.of("city", "Lyon", "state", "Rhône")));
            assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
            assertThat(resolved.json().path("text").asText()).contains("Lyon");

            TestServer.Reply legacy = server.get("/mcp/servers");
            assertThat(legacy.json().isArray()).isTrue();
            assertThat(legacy.json().get(0).path("tools").findValuesAsText("")).isEmpty();
            assertThat(legacy.json().get(0).path("name").asText()).isEqualTo("everything");
            TestServer.Reply executed = server.post("/mcp/execute",
                    Map.of("server", "everything", "tool", "echo", "arguments", Map.of("message", "legacy")));
            assertThat(executed.json().path("success").asBoolean()).as(executed.body()).isTrue();
            assertThat(executed.json().path("result").asText()).contains("legacy");
        }
    }

    @Test
    void serversAddedAtRuntimeConnectOverEveryTransportAndCanBePersisted() throws Exception {
        agentWithEverything("");
        // server-filesystem takes the MCP roots the client offers, which are the agent's workspace
        Path files = Files.createDirectories(home.resolve("workspaces/default"));
        Files.writeString(files.resolve("note.txt"), "a note");
        try (TestServer server = TestServer.start(home);
                NodeMcpServer http = NodeMcpServer.start(McpPeers.everythingScript(), "streamableHttp");
                NodeMcpServer sse = NodeMcpServer.start(McpPeers.everythingScript(), "sse")) {
            TestServer.Reply added = server.post("/api/mcp/servers", Map.of("name", "remote",
                    "config", Map.of("type", "http", "url", http.url("/mcp"), "connectionMode", "strict")));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.json().path("status").asText()).isEqualTo("connected");
            TestServer.Reply viaSse = server.post("/api/mcp/servers", Map.of("name", "streamed",
                    "config", Map.of("type", "sse", "url", sse.url("/sse"),
                            "connectionMode", "strict")));
            assertThat(viaSse.status()).as(viaSse.body()).isEqualTo(201);
            for (String name : List.of("remote", "streamed")) {
                TestServer.Reply echo = server.post("/api/mcp/servers/" + name + "/tools/echo/execute",
                        Map.of("message", "over " + name));
                assertThat(echo.json().path("data").asText()).as(echo.body()).contains("over " + name);
            }

            TestServer.Reply filesystem = server.post("/api/mcp/servers", Map.of("name", "files", "persistToAgent", true,
                    "config", Map.of("command", "node", "args", List.of(McpPeers.script("server-filesystem"),
                            files.toString()), "connectionMode", "strict")));
            assertThat(filesystem.status()).as(filesystem.body()).isEqualTo(201);
            TestServer.Reply read = server.post("/api/mcp/servers/files/tools/read_text_file/execute",
                    Map.of("path", files.resolve("note.txt").toString()));
            assertThat(read.json().path("data").asText()).as(read.body()).contains("a note");
            assertThat(Files.readString(home.resolve("agents/default.yml"))).contains("files:")
                    .contains("server-filesystem");
            assertThat(home.resolve("agents/default.yml.bak")).exists();

            TestServer.Reply memory = server.post("/api/mcp/servers", Map.of("name", "memory",
                    "config", Map.of("command", "node", "args", List.of(McpPeers.script("server-memory")),
                            "env", Map.of("MEMORY_FILE_PATH", home.resolve("memory.jsonl").toString()),
                            "connectionMode", "strict")));
            assertThat(memory.status()).as(memory.body()).isEqualTo(201);
            TestServer.Reply created = server.post("/api/mcp/servers/memory/tools/create_entities/execute",
                    Map.of("entities", List.of(Map.of("name", "Ada", "entityType", "person",
                            "observations", List.of("wrote the first program")))));
            assertThat(created.json().path("success").asBoolean()).as(created.body()).isTrue();
            TestServer.Reply graph = server.post("/api/mcp/servers/memory/tools/read_graph/execute", Map.of());
            assertThat(graph.json().path("data").asText()).contains("first program");
            JsonNode memoryServer = server.get("/api/mcp/servers/memory").json().path("server");
            assertThat(memoryServer.path("config").path("env").path("MEMORY_FILE_PATH").asText()).isEqualTo("********");

            assertThat(server.delete("/api/mcp/servers/files").status()).isEqualTo(200);
            assertThat(Files.readString(home.resolve("agents/default.yml"))).doesNotContain("server-filesystem");
            assertThat(server.get("/api/mcp/servers/files").status()).isEqualTo(404);
        }
        try (TestServer again = TestServer.start(home)) {
            assertThat(again.get("/api/mcp/servers").json().path("servers").findValuesAsText("name"))
                    .containsExactly("everything");
        }
    }

    @Test
    void badRequestsAreRefusedClearlyAndDisturbNothing() {
        agentWithEverything("permissions: {mode: auto-approve}");
        fake.on(Match.lastMessageIsToolResult(), Reply.text("I will fix my arguments."));
        fake.on(Match.lastUserMessageContains("sum"), Reply.toolCall("mcp__everything__get-sum", "{\"a\":\"two\"}"));
        try (TestServer server = TestServer.start(home)) {
            awaitStatus(server, "everything", "connected");
            TestServer.Reply ghost = server.post("/api/mcp/servers", Map.of("name", "ghost",
                    "config", Map.of("command", "no-such-command-switchboard")));
            assertThat(ghost.status()).isEqualTo(400);
            assertThat(ghost.errorField()).isEqualTo("config.command");
            assertThat(server.get("/api/mcp/servers/ghost").status()).isEqualTo(404);

            TestServer.Reply badName = server.post("/api/mcp/servers", Map.of("name", "../x",
                    "config", Map.of("command", "node")));
            assertThat(badName.errorField()).isEqualTo("name");
            TestServer.Reply badConfig = server.post("/api/mcp/servers", Map.of("name", "web",
                    "config", Map.of("type", "http", "url", "ftp://nope")));
            assertThat(badConfig.errorField()).isEqualTo("config.url");
            TestServer.Reply duplicate = server.post("/api/mcp/servers", Map.of("name", "everything",
                    "config", Map.of("command", "node")));
            assertThat(duplicate.status()).isEqualTo(400);
            assertThat(duplicate.errorField()).isEqualTo("name");

            assertThat(server.get("/api/mcp/servers/nope/tools").status()).isEqualTo(404);
            assertThat(server.get("/api/mcp/servers?agentId=nobody").status()).isEqualTo(404);
            assertThat(server.post("/mcp/execute", Map.of("server", "nope", "tool", "echo")).status()).isEqualTo(404);
            assertThat(server.post("/api/mcp/servers/everything/tools/nope/execute", Map.of()).status()).isEqualTo(404);

            TestServer.Reply wrongType = server.post("/api/mcp/servers/everything/tools/echo/execute",
                    Map.of("message", 42));
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.errorField()).isEqualTo("arguments.message");
            TestServer.Reply missing = server.post("/api/mcp/servers/everything/tools/get-sum/execute", Map.of("a", 1));
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.errorField()).isEqualTo("arguments.b");

            List<JsonNode> events;
            try (TestServer.SseReader sse = server.streamMessage("bad-args", "what is the sum?")) {
                events = sse.readUntil(named("run:complete"));
            }
            JsonNode result = first(events, "llm:tool-result");
            assertThat(result.path("success").asBoolean()).isFalse();
            assertThat(result.path("error").asText()).startsWith("Invalid arguments for 'mcp__everything__get-sum'");
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");

            JsonNode still = server.get("/api/mcp/servers/everything").json().path("server");
            assertThat(still.path("status").asText()).isEqualTo("connected");
            assertThat(server.post("/api/mcp/servers/everything/tools/echo/execute", Map.of("message", "fine"))
                    .json().path("success").asBoolean()).isTrue();
        }
    }

    @Test
    void aStrictServerThatCannotStartMakesItsAgentUnavailableWithTheReason() {
        TestServer.writeAgent(home, "default", """
                llm: {provider: openai-compatible, model: m, apiKey: k, baseURL: %s, maxRetries: 0}
                mcpServers:
                  broken:
                    command: node
                    args: [-e, "process.exit(3)"]
                    connectionMode: strict
                """.formatted(fake.openAiBaseUrl()));
        fake.otherwise(Reply.text("never"));
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply reply = server.post("/api/message-sync", Map.of("sessionId", "s", "content", "hi"));
            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.json().path("error").path("code").asText()).isEqualTo("mcp_unavailable");
            assertThat(reply.json().path("error").path("message").asText()).contains("broken");
            assertThat(fake.requests()).isEmpty();
            assertThat(server.get("/api/mcp/servers/broken").json().path("server").path("status").asText())
                    .isIn("failed", "reconnecting");
        }
    }

    /** A server-everything over HTTP, started by the test on a free loopback port. */
    static final class NodeMcpServer implements AutoCloseable {
        private final Process process;
        private final int port;

        private NodeMcpServer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static NodeMcpServer start(String script, String transport) throws Exception {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder("node", "--require", McpPeers.loopbackOnly().toString(),
                    script, transport).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("PORT", String.valueOf(port));
            Process process = builder.start();
            NodeMcpServer server = new NodeMcpServer(process, port);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                    return server;
                } catch (java.io.IOException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        server.close();
                        throw new AssertionError("server-everything " + transport + " did not start on " + port);
                    }
                    Thread.sleep(50);
                }
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
