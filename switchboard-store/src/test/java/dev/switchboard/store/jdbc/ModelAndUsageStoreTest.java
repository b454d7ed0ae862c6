package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.model.CustomModel;
import dev.switchboard.model.ModelChoice;
import dev.switchboard.model.ModelStore;
import dev.switchboard.model.RegisteredModel;
import dev.switchboard.model.TopicRoute;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.usage.Budget;
import dev.switchboard.usage.UsageEntry;
import dev.switchboard.usage.UsageQuery;
import dev.switchboard.usage.UsageRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Model switches, custom models, the registry, routes, the usage ledger and budgets on SQLite and PostgreSQL. */
class ModelAndUsageStoreTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void modelsRoundTrip(String vendor) throws Exception {
        try (Database db = open(vendor)) {
            ModelStore models = db.store.models();
            ModelChoice choice = new ModelChoice("openai", "gpt-4o-mini", null, "$VAULT:llm.openai", 7, null, 256,
                    0.5, "low", T0);
            models.saveChoice(ModelStore.Scope.SESSION, "s1", choice);
            assertThat(models.choice(ModelStore.Scope.SESSION, "s1")).contains(choice);
            assertThat(models.choice(ModelStore.Scope.AGENT, "s1")).isEmpty();
            ModelChoice replaced = new ModelChoice(null, "gpt-4o", null, null, null, null, null, null, null, T0);
            models.saveChoice(ModelStore.Scope.SESSION, "s1", replaced);
            assertThat(models.choice(ModelStore.Scope.SESSION, "s1")).contains(replaced);
            assertThat(models.deleteChoice(ModelStore.Scope.SESSION, "s1")).isTrue();
            assertThat(models.choice(ModelStore.Scope.SESSION, "s1")).isEmpty();

            CustomModel custom = new CustomModel("my-llama", "openai-compatible", "http://127.0.0.1:9/v1", "Mine",
                    8192, 512, null, null, null, T0);
            models.saveCustomModel(custom);
            assertThat(models.customModels()).containsExactly(custom);
            assertThat(models.deleteCustomModel("my-llama")).isTrue();
            assertThat(models.customModel("my-llama")).isEmpty();

            RegisteredModel primary = new RegisteredModel("fast", "openai", "gpt-4o-mini", null, null, 100, 0.2, T0,
                    T0);
            models.register(primary);
            assertThatThrownBy(() -> models.register(primary)).isInstanceOf(ConflictException.class);
            RegisteredModel changed = new RegisteredModel("fast", "openai", "gpt-4o", null, null, null, null, T0,
                    T0.plusSeconds(1));
            assertThat(models.updateRegistered(changed)).isTrue();
            assertThat(models.registered("fast")).contains(changed);
            models.saveRoute(new TopicRoute("default", "fast", null, T0));
            models.saveRoute(new TopicRoute("default", null, "fast", T0));
            assertThat(models.routes()).containsExactly(new TopicRoute("default", null, "fast", T0));
            assertThat(models.deleteRoute("default")).isTrue();
            assertThat(models.deleteRegistered("fast")).isTrue();
            assertThat(models.registered()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void usageSumsByDayModelAndSubjectAndBudgetsRoundTrip(String vendor) throws Exception {
        try (Database db = open(vendor)) {
            JdbcUsageStore usage = db.store.usage();
            usage.record(entry("alice", "default", "s1", "gpt-4o", 0.25, T0));
            usage.record(entry("alice", "default", "s1", "gpt-4o", 0.50, T0.plusSeconds(60)));
            usage.record(entry("alice", "coder", "s2", "gpt-4o-mini", null, T0.plusSeconds(86_400)));
            usage.record(entry("bob", "default", "s3", "gpt-4o-mini", 1.0, T0.plusSeconds(86_400)));

            assertThat(usage.spent(Budget.Scope.USER, "alice", null)).isEqualTo(0.75);
            assertThat(usage.spent(Budget.Scope.AGENT, "default", T0.plusSeconds(30))).isEqualTo(1.5);
            List<UsageRow> rows = usage.report(new UsageQuery("alice", null, null, null, null, null,
                    Set.of("day", "model")));
            assertThat(rows).extracting(UsageRow::day, UsageRow::model, UsageRow::calls, UsageRow::cost,
                    UsageRow::unpriced).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("2026-03-01", "gpt-4o", 2L, 0.75, 0L),
                            org.assertj.core.groups.Tuple.tuple("2026-03-02", "gpt-4o-mini", 1L, 0.0, 1L));
            assertThat(rows.getFirst().usage()).isEqualTo(new TokenUsage(20, 10, 0, 2));
            UsageRow total = usage.report(new UsageQuery(null, null, null, null, null, null, Set.of())).getFirst();
            assertThat(total.calls()).isEqualTo(4);
            assertThat(total.cost()).isEqualTo(1.75);
            assertThat(usage.report(new UsageQuery(null, null, null, null, T0.plusSeconds(3600), null,
                    Set.of("user")))).extracting(UsageRow::ownerId, UsageRow::cost)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 0.0),
                            org.assertj.core.groups.Tuple.tuple("bob", 1.0));

            Budget budget = new Budget(Budget.Scope.AGENT, "default", 2.5, Budget.Period.DAY, T0);
            usage.saveBudget(budget);
            usage.saveBudget(new Budget(Budget.Scope.AGENT, "default", 3.0, Budget.Period.MONTH, T0));
            assertThat(usage.budget(Budget.Scope.AGENT, "default")).get().extracting(Budget::limitUsd)
                    .isEqualTo(3.0);
            assertThat(usage.budget(Budget.Scope.USER, "default")).isEmpty();
            assertThat(usage.deleteBudget(Budget.Scope.AGENT, "default")).isTrue();
            assertThat(usage.budgets()).isEmpty();
        }
    }

    private static UsageEntry entry(String owner, String agent, String session, String model, Double cost,
            Instant at) {
        return new UsageEntry(UUID.randomUUID().toString(), owner, agent, session, "run", "openai", model,
                new TokenUsage(10, 5, 0, 1), cost, at);
    }

    private record Database(JdbcStore store, String schema) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            store.close();
            if (schema != null) {
                execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private Database open(String vendor) throws Exception {
        if (vendor.equals("sqlite")) {
            return new Database(JdbcStore.open("jdbc:sqlite:" + dir.resolve("models.db"), null, null), null);
        }
        String schema = "sb_models_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return new Database(JdbcStore.open(POSTGRES + "?currentSchema=" + schema, "postgres", null), schema);
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", null);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
