package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.hook.Hook;
import dev.switchboard.hook.HookAction;
import dev.switchboard.hook.HookCondition;
import dev.switchboard.hook.HookExecution;
import dev.switchboard.hook.HookTrigger;
import dev.switchboard.notification.Notification;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookAttempt;
import dev.switchboard.webhook.WebhookDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the webhook, hook and notification stores must do on every database; each subclass runs it on one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AutomationStoreContractTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected JdbcStore store;

    protected abstract JdbcStore openStore() throws Exception;

    protected abstract void dropDatabase() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = openStore();
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    private static String id(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aDeliveryIsClaimedOnceAndItsAttemptsAreKeptInOrder() {
        String owner = id("u");
        Webhook webhook = new Webhook(id("whk"), owner, "https://example.com/h", "ci", List.of("run:complete"),
                "v1:sealed", T0);
        store.webhooks().add(webhook);
        assertThat(store.webhooks().find(owner, webhook.id())).contains(webhook);
        assertThat(store.webhooks().find("someone-else", webhook.id())).isEmpty();
        assertThat(store.webhooks().list(owner)).containsExactly(webhook);

        WebhookDelivery delivery = new WebhookDelivery(id("dlv"), webhook.id(), owner, "run:complete", "{}",
                WebhookDelivery.Status.PENDING, 0, T0, null, null, T0, T0);
        store.webhooks().addDelivery(delivery);
        assertThat(store.webhooks().due(T0.minusSeconds(1), 10)).extracting(WebhookDelivery::id)
                .doesNotContain(delivery.id());
        assertThat(store.webhooks().due(T0, 100)).extracting(WebhookDelivery::id).contains(delivery.id());
        // two workers see it due; only one takes it
        assertThat(store.webhooks().claim(delivery.id(), T0, T0.plusSeconds(60))).isTrue();
        assertThat(store.webhooks().claim(delivery.id(), T0, T0.plusSeconds(60))).isFalse();
        assertThat(store.webhooks().due(T0.plusSeconds(1), 100)).extracting(WebhookDelivery::id)
                .doesNotContain(delivery.id());

        store.webhooks().recordAttempt(new WebhookAttempt(delivery.id(), 1, 500, "HTTP 500", 12, T0),
                WebhookDelivery.Status.PENDING, T0.plusSeconds(2), T0);
        store.webhooks().recordAttempt(new WebhookAttempt(delivery.id(), 2, null, "ConnectException", 3,
                T0.plusSeconds(2)), WebhookDelivery.Status.PENDING, T0.plusSeconds(6), T0.plusSeconds(2));
        store.webhooks().recordAttempt(new WebhookAttempt(delivery.id(), 3, 200, null, 5, T0.plusSeconds(6)),
                WebhookDelivery.Status.DELIVERED, T0.plusSeconds(6), T0.plusSeconds(6));
        WebhookDelivery done = store.webhooks().deliveries(webhook.id(), 10).getFirst();
        assertThat(done.status()).isEqualTo(WebhookDelivery.Status.DELIVERED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.lastStatusCode()).isEqualTo(200);
        assertThat(store.webhooks().attempts(List.of(delivery.id()))).extracting(WebhookAttempt::statusCode)
                .containsExactly(500, null, 200);
        assertThat(store.webhooks().due(T0.plus(Duration.ofDays(1)), 100)).extracting(WebhookDelivery::id)
                .doesNotContain(delivery.id());

        assertThat(store.webhooks().delete("someone-else", webhook.id())).isFalse();
        assertThat(store.webhooks().delete(owner, webhook.id())).isTrue();
        assertThat(store.webhooks().deliveries(webhook.id(), 10)).isEmpty();
        assertThat(store.webhooks().attempts(List.of(delivery.id()))).isEmpty();
    }

    @Test
    void aHookRoundTripsAndItsCooldownAndMaximumHoldAtomically() {
        String owner = id("u");
        Hook hook = new Hook(id("hook"), owner, "deploys", null, HookTrigger.AGENT_COMPLETED, "default", null,
                List.of(new HookCondition("payload.finishReason", HookCondition.Operator.IN, List.of("stop", "length")),
                        new HookCondition("payload.stepCount", HookCondition.Operator.GT, 1)),
                List.of(new HookAction.Notify("Done {{sessionId}}", null),
                        new HookAction.RunAgent("default", "Summarize"),
                        new HookAction.CallWebhook("https://example.com/relay"),
                        new HookAction.ExecuteTool("default", "current_time", "{\"timezone\":\"UTC\"}")),
                3, Duration.ofSeconds(60), 2, true, null, 0, null, T0, T0);
        store.hooks().add(hook);
        Hook read = store.hooks().find(owner, hook.id()).orElseThrow();
        assertThat(read.actions()).isEqualTo(hook.actions());
        assertThat(read.conditions()).extracting(HookCondition::operator)
                .containsExactly(HookCondition.Operator.IN, HookCondition.Operator.GT);
        assertThat(read.conditions().getFirst().test(Map.of("payload", Map.of("finishReason", "stop")))).isTrue();
        assertThat(read.cooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(read.maxExecutions()).isEqualTo(2);
        assertThat(store.hooks().find("someone-else", hook.id())).isEmpty();
        assertThat(store.hooks().enabledOf(HookTrigger.AGENT_COMPLETED)).extracting(Hook::id).contains(hook.id());

        assertThat(store.hooks().claimExecution(hook.id(), T0)).isTrue();
        assertThat(store.hooks().claimExecution(hook.id(), T0.plusSeconds(59))).as("in its cooldown").isFalse();
        assertThat(store.hooks().claimExecution(hook.id(), T0.plusSeconds(60))).isTrue();
        assertThat(store.hooks().claimExecution(hook.id(), T0.plusSeconds(600))).as("at its maximum").isFalse();
        assertThat(store.hooks().find(owner, hook.id()).orElseThrow().executionCount()).isEqualTo(2);

        assertThat(store.hooks().setEnabled(owner, hook.id(), false, T0)).isTrue();
        assertThat(store.hooks().enabledOf(HookTrigger.AGENT_COMPLETED)).extracting(Hook::id)
                .doesNotContain(hook.id());

        store.hooks().addExecution(new HookExecution(id("hex"), hook.id(), owner, "agent_completed", "{}",
                "success", "[]", 4, T0));
        assertThat(store.hooks().executions(owner, hook.id(), 10, 0)).hasSize(1);
        assertThat(store.hooks().executions("someone-else", hook.id(), 10, 0)).isEmpty();
        assertThat(store.hooks().delete(owner, hook.id())).isTrue();
        assertThat(store.hooks().executions(owner, hook.id(), 10, 0)).isEmpty();
    }

    @Test
    void notificationsArePagedAndReadWithinTheirOwner() {
        String owner = id("u");
        for (int i = 0; i < 3; i++) {
            store.notifications().add(new Notification(id("ntf"), owner, "hook", "n" + i, "body",
                    Map.of("hookId", "h"), false, T0.plusSeconds(i)));
        }
        store.notifications().add(new Notification(id("ntf"), "other", "hook", "theirs", "", Map.of(), false, T0));
        List<Notification> page = store.notifications().list(owner, false, 2, 0);
        assertThat(page).extracting(Notification::title).containsExactly("n2", "n1");
        assertThat(page.getFirst().data()).containsEntry("hookId", "h");
        assertThat(store.notifications().list(owner, false, 2, 2)).extracting(Notification::title)
                .containsExactly("n0");
        assertThat(store.notifications().markRead("other", page.getFirst().id())).isFalse();
        assertThat(store.notifications().markRead(owner, page.getFirst().id())).isTrue();
        assertThat(store.notifications().count(owner, true)).isEqualTo(2);
        assertThat(store.notifications().markAllRead(owner)).isEqualTo(2);
        assertThat(store.notifications().count(owner, true)).isZero();
        assertThat(store.notifications().count("other", true)).isEqualTo(1);
    }
}
