package dev.switchboard.hook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.notification.Notifications;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.tool.builtin.AddressPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scheduler relies on: scheduled hooks are listed and {@link Hooks#fire} honours conditions and cooldown. */
class HooksTest {

    @TempDir
    Path dir;

    @Test
    void aScheduledHookFiresWhenItsConditionHoldsAndNotAgainWithinItsCooldown() {
        ManualClock clock = new ManualClock(Instant.parse("2025-06-01T03:00:00Z"));
        try (JdbcStore store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("s.db"))) {
            Notifications notifications = new Notifications(store.notifications(), clock);
            List<String> pushed = new java.util.concurrent.CopyOnWriteArrayList<>();
            notifications.onCreated(n -> pushed.add(n.title()));
            // only notify actions: the run engine, sessions and tools are never reached
            Hooks hooks = new Hooks(store.hooks(), store, null, null, null, null, null, notifications,
                    AddressPolicy.publicOnly(), clock);
            Hook hook = hooks.create("alice", new Hooks.Draft("nightly", null, HookTrigger.SCHEDULE, null,
                    "0 3 * * *", List.of(new HookCondition("kind", HookCondition.Operator.EQUALS, "nightly")),
                    List.of(new HookAction.Notify("Nightly {{kind}} at {{at}}", "ran")), 0, Duration.ofHours(1),
                    null, true, null)).hook();

            assertThat(hooks.scheduled()).containsExactly(new Hooks.Scheduled(hook.id(), "alice", "0 3 * * *", true));
            assertThat(hooks.fire(hook.id(), Map.of("kind", "weekly"))).as("condition fails").isEmpty();
            assertThat(hooks.fire(hook.id(), Map.of("kind", "nightly", "at", "03:00"))).isPresent();
            assertThat(hooks.fire(hook.id(), Map.of("kind", "nightly"))).as("in its cooldown").isEmpty();
            clock.advance(Duration.ofHours(1));
            assertThat(hooks.fire(hook.id(), Map.of("kind", "nightly", "at", "04:00"))).isPresent();
            assertThat(pushed).containsExactly("Nightly nightly at 03:00", "Nightly nightly at 04:00");
            assertThat(notifications.list("alice", false, 1, 10).total()).isEqualTo(2);
            assertThat(hooks.executions("alice", hook.id(), 10, 0)).extracting(HookExecution::trigger)
                    .containsExactly("schedule", "schedule");

            hooks.setEnabled("alice", hook.id(), false);
            assertThat(hooks.scheduled()).isEmpty();
            assertThat(hooks.fire(hook.id(), Map.of("kind", "nightly"))).isEmpty();
            assertThat(hooks.fire("hook_unknown", Map.of())).isEmpty();
        }
    }

    @Test
    void conditionsCompareAsTheirOperatorSays() {
        Map<String, Object> payload = Map.of("payload", Map.of("finishReason", "stop", "stepCount", 3,
                "toolName", "web_search", "tags", List.of("a", "b")));
        assertThat(test("payload.finishReason", HookCondition.Operator.EQUALS, "stop", payload)).isTrue();
        assertThat(test("payload.stepCount", HookCondition.Operator.EQUALS, 3.0, payload)).isTrue();
        assertThat(test("payload.toolName", HookCondition.Operator.CONTAINS, "search", payload)).isTrue();
        assertThat(test("payload.tags", HookCondition.Operator.CONTAINS, "b", payload)).isTrue();
        assertThat(test("payload.toolName", HookCondition.Operator.MATCHES, "^web_", payload)).isTrue();
        assertThat(test("payload.stepCount", HookCondition.Operator.GT, 2, payload)).isTrue();
        assertThat(test("payload.stepCount", HookCondition.Operator.LT, 10, payload)).isTrue();
        assertThat(test("payload.stepCount", HookCondition.Operator.GT, 10, payload)).isFalse();
        assertThat(test("payload.finishReason", HookCondition.Operator.IN, List.of("stop", "length"), payload))
                .isTrue();
        assertThat(test("payload.finishReason", HookCondition.Operator.IN, List.of("error"), payload)).isFalse();
        assertThat(test("payload.missing", HookCondition.Operator.EQUALS, "x", payload)).isFalse();
        assertThat(Hooks.fill("{{payload.toolName}} / {{ nothing }}", payload)).isEqualTo("web_search / ");
    }

    private static boolean test(String field, HookCondition.Operator op, Object value, Map<String, Object> payload) {
        return new HookCondition(field, op, value).test(payload);
    }
}
