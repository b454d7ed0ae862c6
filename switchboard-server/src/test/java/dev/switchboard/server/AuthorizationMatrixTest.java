package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.identity.SoftwareAuthenticator;
import dev.switchboard.face.api.Routes;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization matrix, generated from the routes the server registered: user B against each of user A's
 * resources on every route that takes one, every list route as B, and every administrator's route as a user.
 * A route whose path parameter is not classified here fails the test, so a new route cannot slip by unchecked.
 */
class AuthorizationMatrixTest {

    /** Path parameters that name something its owner alone may see. */
    private static final Set<String> OWNED = Set.of("sessionId", "approvalId", "messageId", "name", "tokenId",
            "blobId", "resourceId", "acpSessionToken", "entryId", "passkeyId",
            // the remote client API (/v1) and seed 001's root routes: a conversation is a session, a file one of its
            // attachments
            "conversationId", "fileName",
            // a fact of the learned user profile, memories and knowledge notes (issue 6)
            "factId", "memoryId", "noteId",
            // pipeline templates and runs, a run's steps and checkpoints (issue 7)
            "pipelineId", "templateId", "stepId", "checkpointId",
            // webhooks, hooks and notifications (issue 7)
            "webhookId", "hookId", "notificationId",
            // an A2A task (issue 8)
            "taskId",
            // schedules (issue 7): loops, schedules and scheduled tasks are one resource of one owner
            "loopId", "scheduleId", "scheduledTaskId");

    /**
     * Path parameters of things every signed-in user shares: MCP servers and their tools belong to the operator's
     * agent definitions (so do providers and their models), and users are managed on admin-only routes.
     */
    private static final Set<String> SHARED = Set.of("serverId", "toolName", "userId", "agentId", "serverName",
            "providerId",
            // provider/model profiles are server-wide: every user reads them, administrators write them
            "profileId",
            // skills are server-wide files: every user reads them, administrators write them
            "skillId",
            // a skill permission override's action (seed 002): server-wide, written by administrators only
            "action",
            // providers and their known models, OpenRouter model ids (issue 9): the bundled catalog and public lists
            "provider", "vendor", "model",
            // an OpenRouter model id, or a local GGUF model: a file of the server's models folder, removed by
            // administrators only (issue 9)
            "modelId");

    /** A body that passes validation, so that B reaches the ownership check instead of a 400. */
    private static final Map<String, Object> BODIES = Map.ofEntries(
            Map.entry("post /api/approvals/{approvalId}", Map.of("status", "approved")),
            Map.entry("put /api/memory/{memoryId}", Map.of("content", "mine now")),
            Map.entry("patch /v1/knowledge/notes/{noteId}", Map.of("title", "mine now")),
            Map.entry("patch /v1/loops/{loopId}", Map.of("name", "mine now")),
            Map.entry("patch /api/schedules/{scheduleId}", Map.of("name", "mine now")),
            Map.entry("patch /api/sessions/{sessionId}", Map.of("title", "mine now")),
            Map.entry("post /api/queue/{sessionId}", Map.of("content", "hijack")),
            Map.entry("post /api/prompts/{name}/resolve", Map.of("args", Map.of("text", "x"))),
            Map.entry("post /api/sessions/{sessionId}/fork", Map.of()),
            Map.entry("patch /api/vault/{entryId}", Map.of("description", "mine now")),
            Map.entry("post /api/vault/{entryId}/rotate", Map.of("value", "bob-replaced-it-0000000000")),
            Map.entry("post /mcp/{acpSessionToken}", Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                    "params", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                            "clientInfo", Map.of("name", "b", "version", "1")))),
            Map.entry("put /v1/conversations/{conversationId}", Map.of("title", "mine now")),
            Map.entry("patch /api/user-profile/facts/{factId}", Map.of("fact", "mine now")),
            Map.entry("post /chat/{conversationId}", Map.of("message", "hijack")),
            Map.entry("put /api/pipelines/templates/{templateId}", Map.of("name", "mine now",
                    "steps", List.of(Map.of("id", "a", "prompt", "x")))),
            Map.entry("post /api/pipelines/{pipelineId}/approve", Map.of("approved", true)),
            Map.entry("put /api/pipelines/{pipelineId}/plans/{stepId}", Map.of("items", List.of("hijack"))),
            Map.entry("patch /api/pipelines/{pipelineId}/checkpoints/{checkpointId}",
                    Map.of("outputs", Map.of("alices-outline", "hijack"))),
            Map.entry("put /api/hooks/{hookId}", Map.of("name", "mine now", "trigger", "agent_completed",
                    "actions", List.of(Map.of("type", "notify", "title", "mine now")))),
            Map.entry("post /mcp/{acpSessionToken}/tools/call", Map.of("name", "chat_with_agent",
                    "arguments", Map.of("message", "hi"))));

    private static final String ALICES_FACT = "Alice keeps bees for the matrix";

    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private static final String ALICES_PUSH_TOKEN = dev.switchboard.testkit.TestSecrets.register(
            "alices-push-token-0f1e2d3c4b5a");

    @TempDir
    Path home;

    @Test
    void userBNeverReachesUserAsResourcesAndUsersNeverReachAdminRoutes() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.systemPromptContains(dev.switchboard.userprofile.UserProfiles.LEARNER_PROMPT),
                    Reply.text("{\"new\": [{\"fact\": \"" + ALICES_FACT + "\", \"confidence\": 0.9}]}"));
            fake.on(Match.lastMessageIsToolResult(), Reply.text("Written."));
            fake.on(Match.lastUserMessageContains("write"),
                    Reply.toolCall("write_file", "{\"path\":\"a.txt\",\"content\":\"alice's\"}"));
            fake.otherwise(Reply.text("Hello."));
            TestServer.writeAgent(home, "default", """
                    llm:
                      provider: openai-compatible
                      model: test-model
                      apiKey: test-llm-key
                      baseURL: %s
                      maxRetries: 0
                    tools: [write_file]
                    permissions:
                      mode: manual
                      timeout: 600000
                    expose:
                      mcp: true
                    """.formatted(fake.openAiBaseUrl()));
            try (TestServer server = TestServer.start(home)) {
                server.createUser("alice", IdentityTest.ALICE_PASSWORD, "user");
                server.createUser("bob", IdentityTest.BOB_PASSWORD, "user");
                String alice = server.login("alice", IdentityTest.ALICE_PASSWORD);
                String bob = server.login("bob", IdentityTest.BOB_PASSWORD);
                Map<String, String> fixtures = alicesResources(server.as(alice), server.url(""));

                List<String> checked = new ArrayList<>();
                for (Routes.Route route : server.switchboard().routes()) {
                    if (route.access() != Routes.Access.USER) {
                        continue;
                    }
                    List<String> params = params(route.path());
                    for (String param : params) {
                        assertThat(OWNED.contains(param) || SHARED.contains(param))
                                .as("classify the path parameter {%s} of %s in this test", param, route).isTrue();
                    }
                    if (params.stream().noneMatch(OWNED::contains)) {
                        continue;
                    }
                    String path = route.path();
                    for (String param : params) {
                        String value = fixtures.getOrDefault(param, "anything");
                        path = path.replace("{" + param + "}", URLEncoder.encode(value, StandardCharsets.UTF_8)
                                .replace("+", "%20"));
                    }
                    Object body = BODIES.getOrDefault(route.method() + " " + route.path(), Map.of());
                    TestServer.Reply reply = send(server, bob, route.method(), path, body);
                    assertThat(reply.status()).as("%s %s as another user: %s", route.method(), path, reply.body())
                            .isIn(403, 404);
                    checked.add(route.method() + " " + route.path());
                }
                assertThat(checked).hasSizeGreaterThanOrEqualTo(20);

                int lists = 0;
                for (Routes.Route route : server.switchboard().routes()) {
                    if (route.access() != Routes.Access.USER || !route.method().equals("get")
                            || !params(route.path()).isEmpty() || route.path().startsWith("/mcp")
                            || route.path().equals("/api/auth/ws-ticket")) {
                        continue;
                    }
                    // q: a search word in A's session, so the search routes are read as B with a query that finds A's
                    String query = "?sessionId=" + fixtures.get("sessionId") + "&q=hello";
                    TestServer.Reply reply = send(server, bob, "get", route.path() + query, null);
                    for (Map.Entry<String, String> fixture : fixtures.entrySet()) {
                        assertThat(reply.body()).as("%s as another user leaks %s", route.path(), fixture.getKey())
                                .doesNotContain(fixture.getValue());
                    }
                    lists++;
                }
                assertThat(lists).isGreaterThanOrEqualTo(8);
                // the same search finds A's session for A, so the list check above could have seen a leak
                assertThat(server.as(alice).get("/api/search/sessions?q=hello").body())
                        .contains(fixtures.get("sessionId"));

                int adminRoutes = 0;
                String adminWithoutScope = server.post("/api/api-tokens",
                        Map.of("name", "no admin scope", "scopes", List.of("read", "write"))).json().path("token")
                        .asText();
                for (Routes.Route route : server.switchboard().routes()) {
                    if (route.access() != Routes.Access.ADMIN) {
                        continue;
                    }
                    String path = PARAM.matcher(route.path()).replaceAll("x");
                    for (String credential : List.of(alice, adminWithoutScope)) {
                        TestServer.Reply reply = send(server, credential, route.method(), path, Map.of());
                        assertThat(reply.status()).as("%s %s without admin rights", route.method(), path)
                                .isEqualTo(403);
                    }
                    adminRoutes++;
                }
                assertThat(adminRoutes).isGreaterThanOrEqualTo(15);

                long open = server.switchboard().routes().stream()
                        .filter(r -> r.access() == Routes.Access.PUBLIC).count();
                System.out.printf("authorization matrix: %d routes; %d of A's resources tried by B, %d lists read "
                        + "by B, %d admin routes refused to users, %d public%n", server.switchboard().routes().size(),
                        checked.size(), lists, adminRoutes, open);

                // one session's model is its owner's to switch; usage is one's own (issue 9)
                assertThat(server.as(alice).post("/api/llm/switch", Map.of("sessionId", fixtures.get("sessionId"),
                        "model", "gpt-4o-mini")).status()).isEqualTo(200);
                TestServer.Reply switched = server.as(bob).post("/api/llm/switch", Map.of("sessionId",
                        fixtures.get("sessionId"), "model", "gpt-4o"));
                assertThat(switched.status()).as(switched.body()).isEqualTo(404);
                assertThat(server.as(bob).get("/api/llm/current?sessionId=" + fixtures.get("sessionId")).status())
                        .isEqualTo(404);
                assertThat(server.as(alice).get("/api/llm/current?sessionId=" + fixtures.get("sessionId")).json()
                        .path("config").path("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(server.as(alice).post("/api/llm/switch", Map.of("sessionId", fixtures.get("sessionId"),
                        "model", "gpt-4o", "baseURL", "http://169.254.169.254/")).status()).isEqualTo(403);
                assertThat(server.as(alice).post("/api/llm/switch", Map.of("model", "gpt-4o")).status())
                        .isEqualTo(403);
                assertThat(server.as(bob).get("/api/usage?userId=alice").status()).isEqualTo(403);

                // nothing B tried changed A's things
                assertThat(server.as(alice).get("/api/sessions/" + fixtures.get("sessionId")).status()).isEqualTo(200);
                assertThat(server.as(alice).get("/api/approvals/" + fixtures.get("approvalId")).json()
                        .path("approval").path("status").asText()).isEqualTo("pending");
                assertThat(server.as(alice).get("/api/prompts/" + fixtures.get("name")).status()).isEqualTo(200);
                assertThat(server.as(fixtures.get("token")).get("/api/auth/me").status()).isEqualTo(200);
                assertThat(server.as(alice).get("/api/blobs/" + fixtures.get("blobId")).status()).isEqualTo(200);
                assertThat(server.as(alice).get("/api/vault").json().path("entries").get(0).path("version").asInt())
                        .isEqualTo(1);
                assertThat(server.as(alice).get("/api/queue/" + fixtures.get("sessionId")).json().path("count")
                        .asInt()).isEqualTo(1);
                assertThat(server.as(alice).get("/api/auth/passkeys").json().path("passkeys").findValuesAsText("id"))
                        .containsExactly(fixtures.get("passkeyId"));
                assertThat(server.as(bob).post("/v1/push/unregister", Map.of("token", ALICES_PUSH_TOKEN)).json()
                        .path("removed").asBoolean()).isFalse();
                assertThat(server.as(bob).get("/v1/push/status").body()).doesNotContain(ALICES_PUSH_TOKEN);
                assertThat(server.as(alice).get("/api/user-profile").json().path("facts").findValuesAsText("fact"))
                        .containsExactly(ALICES_FACT);
                assertThat(server.as(alice).get("/v1/push/status").json().path("tokens").findValuesAsText("id"))
                        .containsExactly(fixtures.get("pushTokenId"));
                JsonNode pipeline = server.as(alice).get("/api/pipelines/" + fixtures.get("pipelineId")).json()
                        .path("pipeline");
                assertThat(pipeline.path("status").asText()).isEqualTo("awaiting_approval");
                assertThat(pipeline.path("stages").get(1).path("plan").findValuesAsText("text"))
                        .doesNotContain("hijack");
                assertThat(server.as(alice).get("/api/pipelines/templates/" + fixtures.get("templateId")).json()
                        .path("template").path("name").asText()).isEqualTo("Alice's pipeline");
                assertThat(server.as(alice).get("/api/webhooks/" + fixtures.get("webhookId")).status())
                        .isEqualTo(200);
                assertThat(server.as(alice).get("/api/hooks/" + fixtures.get("hookId")).json().path("hook")
                        .path("name").asText()).isEqualTo("alices-hook-for-the-matrix");
                assertThat(server.as(alice).get("/api/notifications").json().path("unread").asInt()).isPositive();
            }
        }
    }

    /** Creates one of each of A's resource kinds and returns their ids by the path parameter that names them. */
    private static Map<String, String> alicesResources(TestServer.Client alice, String origin) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
        TestServer.Reply sync = alice.post("/api/message-sync", Map.of("sessionId", "alices-session", "content",
                List.of(Map.of("type", "text", "text", "hello"),
                        Map.of("type", "image", "image", png, "mimeType", "image/png"))));
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        ids.put("sessionId", "alices-session");
        ids.put("conversationId", "alices-session");
        String image = alice.get("/api/sessions/alices-session/history").json().path("history").get(0)
                .path("content").get(1).path("image").asText();
        ids.put("blobId", image.substring("/api/blobs/".length()));
        ids.put("fileName", ids.get("blobId"));
        TestServer.Reply task = alice.post("/v1/message:send", Map.of("message", Map.of("messageId", "m1",
                "role", "ROLE_USER", "parts", List.of(Map.of("text", "hello from alice's agent")))));
        assertThat(task.status()).as(task.body()).isEqualTo(200);
        ids.put("taskId", task.json().path("task").path("id").asText());

        assertThat(alice.post("/api/message", Map.of("sessionId", "alices-session", "content", "write a file"))
                .status()).isEqualTo(202);
        JsonNode pending = null;
        for (int i = 0; i < 200 && (pending == null || pending.isEmpty()); i++) {
            Thread.sleep(50);
            pending = alice.get("/api/approvals").json().path("approvals");
        }
        assertThat(pending).isNotEmpty();
        ids.put("approvalId", pending.get(0).path("approvalId").asText());
        TestServer.Reply queued = alice.post("/api/queue/alices-session", Map.of("content", "later"));
        assertThat(queued.status()).as(queued.body()).isIn(200, 201, 202);
        ids.put("messageId", queued.json().path("id").asText());

        TestServer.Reply prompt = alice.post("/api/prompts/custom", Map.of("name", "alices-prompt", "content",
                "Say {{text}}", "arguments", List.of(Map.of("name", "text")), "resource", Map.of("data",
                        "data:text/plain;base64," + Base64.getEncoder().encodeToString(
                                "alice's attachment".getBytes(StandardCharsets.UTF_8)), "filename", "a.txt")));
        assertThat(prompt.status()).as(prompt.body()).isEqualTo(201);
        ids.put("name", "alices-prompt");
        ids.put("resourceId", prompt.json().path("prompt").path("metadata").path("resourceUri").asText());

        TestServer.Reply token = alice.post("/api/api-tokens", Map.of("name", "alice's script"));
        ids.put("tokenId", token.json().path("id").asText());
        ids.put("token", token.json().path("token").asText());
        ids.put("acpSessionToken", "alices-session");

        TestServer.Reply entry = alice.post("/api/vault", Map.of("name", "alices-secret",
                "value", "alice-vault-value-0123456789"));
        assertThat(entry.status()).as(entry.body()).isEqualTo(201);
        ids.put("entryId", entry.json().path("entry").path("id").asText());

        String challenge = alice.post("/api/auth/passkey/register/options", Map.of()).json().path("challenge")
                .asText();
        TestServer.Reply passkey = alice.post("/api/auth/passkey/register",
                new SoftwareAuthenticator("localhost", origin).register(challenge));
        assertThat(passkey.status()).as(passkey.body()).isEqualTo(201);
        ids.put("passkeyId", passkey.json().path("passkey").path("id").asText());

        TestServer.Reply memory = alice.post("/api/agents/default/memories", Map.of("content",
                "Alice keeps her spare key under the blue flowerpot", "tags", List.of("home")));
        assertThat(memory.status()).as(memory.body()).isEqualTo(201);
        ids.put("memoryId", memory.json().path("memory").path("id").asText());
        TestServer.Reply note = alice.post("/v1/knowledge/notes", Map.of("title", "Alice's garden plan",
                "body", "Tomatoes by the south fence", "context", "auto"));
        assertThat(note.status()).as(note.body()).isEqualTo(201);
        ids.put("noteId", note.json().path("note").path("id").asText());

        // her schedules, in each face's form; far from firing during the test
        TestServer.Reply loop = alice.post("/v1/loops", Map.of("name", "Alice's garden loop",
                "prompt", "Water the tomatoes", "cron", "0 0 1 1 *"));
        assertThat(loop.status()).as(loop.body()).isEqualTo(201);
        ids.put("loopId", loop.json().path("loop").path("id").asText());
        TestServer.Reply schedule = alice.post("/api/schedules", Map.of("name", "Alice's schedule",
                "prompt", "Feed the bees", "cron", "0 0 1 1 *"));
        assertThat(schedule.status()).as(schedule.body()).isEqualTo(201);
        ids.put("scheduleId", schedule.json().path("schedule").path("id").asText());
        TestServer.Reply scheduledTask = alice.post("/api/agents/default/scheduled-tasks", Map.of(
                "name", "Alice's task", "prompt", "Check the hive", "cron", "0 0 1 1 *"));
        assertThat(scheduledTask.status()).as(scheduledTask.body()).isEqualTo(201);
        ids.put("scheduledTaskId", scheduledTask.json().path("task").path("id").asText());

        // a push token: not a path parameter, so it is checked through the lists (GET /v1/push/status) and below
        TestServer.Reply push = alice.post("/v1/push/register", Map.of("token", ALICES_PUSH_TOKEN,
                "platform", "ios", "deviceName", "alice-device-for-the-matrix"));
        assertThat(push.status()).as(push.body()).isEqualTo(201);
        ids.put("pushTokenId", push.json().path("token").path("id").asText());
        ids.put("pushDeviceName", "alice-device-for-the-matrix");

        // a webhook (a public address written out: registering needs no DNS), a hook, and the notification of her
        // waiting approval
        TestServer.Reply webhook = alice.post("/api/webhooks", Map.of("url", "https://93.184.215.14/alice",
                "description", "alices-webhook-for-the-matrix", "events", List.of("session:title-updated")));
        assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
        ids.put("webhookId", webhook.json().path("webhook").path("id").asText());
        TestServer.Reply hook = alice.post("/api/hooks", Map.of("name", "alices-hook-for-the-matrix",
                "trigger", "tool_executed", "actions", List.of(Map.of("type", "notify", "title", "tool ran"))));
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        ids.put("hookId", hook.json().path("hook").path("id").asText());
        JsonNode notifications = null;
        for (int i = 0; i < 100 && (notifications == null || notifications.isEmpty()); i++) {
            notifications = alice.get("/api/notifications").json().path("notifications");
            Thread.sleep(20);
        }
        assertThat(notifications).isNotEmpty();
        ids.put("notificationId", notifications.get(0).path("id").asText());

        // a fact of her profile: learned from a conversation when she deletes it
        assertThat(alice.post("/api/message-sync", Map.of("sessionId", "alices-profile-session", "content",
                "I keep bees")).status()).isEqualTo(200);
        assertThat(alice.delete("/api/sessions/alices-profile-session").status()).isEqualTo(200);
        JsonNode facts = null;
        for (int i = 0; i < 100; i++) {
            facts = alice.get("/api/user-profile").json().path("facts");
            if (!facts.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(facts).hasSize(1);
        ids.put("factId", facts.get(0).path("id").asText());
        ids.put("factText", ALICES_FACT);

        // a pipeline run waiting at the approval gate of its foreach step, with a checkpoint
        TestServer.Reply template = alice.post("/api/pipelines/templates", Map.of("name", "Alice's pipeline",
                "steps", List.of(Map.of("id", "alices-outline", "prompt", "Outline the garden"),
                        Map.of("id", "alices-expand-step", "prompt", "Expand {{item}}", "foreach",
                                "steps.alices-outline", "approval", true))));
        assertThat(template.status()).as(template.body()).isEqualTo(201);
        ids.put("templateId", template.json().path("template").path("id").asText());
        TestServer.Reply run = alice.post("/api/pipelines", Map.of("templateId", ids.get("templateId")));
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        String pipelineId = run.json().path("pipeline").path("id").asText();
        ids.put("pipelineId", pipelineId);
        ids.put("stepId", "alices-expand-step");
        JsonNode waiting = null;
        for (int i = 0; i < 200; i++) {
            waiting = alice.get("/api/pipelines/" + pipelineId).json().path("pipeline");
            if (waiting.path("status").asText().equals("awaiting_approval")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(waiting.path("status").asText()).isEqualTo("awaiting_approval");
        ids.put("checkpointId", waiting.path("checkpoints").get(0).path("id").asText());
        return ids;
    }

    private static List<String> params(String path) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PARAM.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static TestServer.Reply send(TestServer server, String token, String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : TestServer.publisher(body));
        return server.send(request);
    }
}
