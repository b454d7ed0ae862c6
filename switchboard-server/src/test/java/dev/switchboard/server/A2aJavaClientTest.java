package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import io.a2a.client.Client;
import io.a2a.client.ClientEvent;
import io.a2a.client.TaskEvent;
import io.a2a.client.TaskUpdateEvent;
import io.a2a.client.config.ClientConfig;
import io.a2a.client.http.A2ACardResolver;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.jsonrpc.JSONRPCTransportConfigBuilder;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.spec.A2AClientException;
import io.a2a.spec.AgentCard;
import io.a2a.spec.Message;
import io.a2a.spec.Task;
import io.a2a.spec.TaskArtifactUpdateEvent;
import io.a2a.spec.TaskIdParams;
import io.a2a.spec.TaskNotFoundError;
import io.a2a.spec.TaskQueryParams;
import io.a2a.spec.TaskState;
import io.a2a.spec.TaskStatusUpdateEvent;
import io.a2a.spec.TextPart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The A2A Java SDK's client (Maven Central {@code io.github.a2asdk}, 0.3.x, JSON-RPC transport), unmodified, against a
 * real server whose agent talks to the fake model: card, send, stream, get, cancel, push configuration. The 0.3.x
 * client has no {@code tasks/list} (it came with the v1.0 API), so listing is not exercised through it.
 */
class A2aJavaClientTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;
    final ClientCallContext auth = new ClientCallContext(Map.of(),
            Map.of("Authorization", "Bearer " + TestServer.KEY));

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastUserMessageContains("slow"), Reply.text("Never finished").hang());
        fake.otherwise(Reply.text("Hello from the agent."));
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        server = TestServer.start(home);
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void theJavaClientReadsTheCardSendsStreamsGetsAndCancels() throws Exception {
        AgentCard card = new A2ACardResolver(server.url("")).getAgentCard();
        assertThat(card.protocolVersion()).isEqualTo("0.3.0");
        assertThat(card.url()).isEqualTo(server.url("/jsonrpc"));
        assertThat(card.preferredTransport()).isEqualTo("JSONRPC");
        assertThat(card.capabilities().streaming()).isTrue();
        assertThat(card.capabilities().pushNotifications()).isTrue();
        assertThat(card.skills()).extracting(s -> s.id()).contains("default");

        // send, waiting for the end
        List<ClientEvent> sent = new CopyOnWriteArrayList<>();
        client(card, false, false).sendMessage(message("Hi there"), List.of(collect(sent)), null, auth);
        assertThat(sent).hasSize(1).first().isInstanceOf(TaskEvent.class);
        Task task = ((TaskEvent) sent.getFirst()).getTask();
        assertThat(task.getStatus().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(text(task)).isEqualTo("Hello from the agent.");

        // stream: the task, working, the text, completed
        List<ClientEvent> streamed = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> streamError = new AtomicReference<>();
        {
            Client client = client(card, true, false);
            client.sendMessage(message("Stream please"), List.of(collect(streamed), (event, c) -> {
                if (event instanceof TaskUpdateEvent update && update.getUpdateEvent()
                        instanceof TaskStatusUpdateEvent status && status.isFinal()) {
                    done.countDown();
                }
            }), error -> {
                if (error != null) {
                    streamError.set(error);
                }
                done.countDown();
            }, auth);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(streamError.get()).isNull();
        assertThat(streamed.getFirst()).isInstanceOf(TaskEvent.class);
        List<Object> updates = streamed.stream().filter(TaskUpdateEvent.class::isInstance)
                .map(e -> (Object) ((TaskUpdateEvent) e).getUpdateEvent()).toList();
        assertThat(updates).anyMatch(u -> u instanceof TaskArtifactUpdateEvent);
        assertThat(updates).anyMatch(u -> u instanceof TaskStatusUpdateEvent s && s.getStatus().state()
                == TaskState.WORKING);
        Task streamedTask = ((TaskUpdateEvent) streamed.getLast()).getTask();
        assertThat(streamedTask.getStatus().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(text(streamedTask)).isEqualTo("Hello from the agent.");

        {
            Client client = client(card, false, true);
            // get
            // the client sends historyLength 0 when given none: v0.3 servers read it as "all"
            Task got = client.getTask(new TaskQueryParams(task.getId()), auth);
            assertThat(got.getId()).isEqualTo(task.getId());
            assertThat(got.getStatus().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(got.getHistory()).extracting(m -> ((TextPart) m.getParts().getFirst()).getText())
                    .contains("Hi there");

            // cancel a task whose run hangs, sent without waiting
            List<ClientEvent> polled = new CopyOnWriteArrayList<>();
            client.sendMessage(message("slow one"), List.of(collect(polled)), null, auth);
            Task slow = ((TaskEvent) polled.getFirst()).getTask();
            assertThat(slow.getStatus().state()).isIn(TaskState.SUBMITTED, TaskState.WORKING);
            fake.awaitRequests(3, Duration.ofSeconds(10));
            Task cancelled = client.cancelTask(new TaskIdParams(slow.getId()), auth);
            assertThat(cancelled.getStatus().state()).isEqualTo(TaskState.CANCELED);
            assertThat(client.getTask(new TaskQueryParams(slow.getId()), auth).getStatus().state())
                    .isEqualTo(TaskState.CANCELED);

            // errors arrive as the SDK's own error types
            assertThatThrownBy(() -> client.getTask(new TaskQueryParams("task_missing"), auth))
                    .isInstanceOf(A2AClientException.class).cause().isInstanceOf(TaskNotFoundError.class);
            // without credentials the server refuses (401), which the transport reports as a failed request
            assertThatThrownBy(() -> client.getTask(new TaskQueryParams(task.getId()), null))
                    .isInstanceOf(A2AClientException.class).hasMessageContaining("Authentication failed");
        }
    }

    private static Client client(AgentCard card, boolean streaming, boolean polling) throws A2AClientException {
        return Client.builder(card)
                .withTransport(JSONRPCTransport.class, new JSONRPCTransportConfigBuilder())
                .clientConfig(new ClientConfig.Builder().setStreaming(streaming).setPolling(polling).build())
                .build();
    }

    private static Message message(String text) {
        return new Message.Builder().role(Message.Role.USER).parts(new TextPart(text)).build();
    }

    private static BiConsumer<ClientEvent, AgentCard> collect(List<ClientEvent> into) {
        return (event, card) -> into.add(event);
    }

    private static String text(Task task) {
        StringBuilder text = new StringBuilder();
        task.getArtifacts().forEach(a -> a.parts().forEach(p -> {
            if (p instanceof TextPart t) {
                text.append(t.getText());
            }
        }));
        return text.toString();
    }
}
