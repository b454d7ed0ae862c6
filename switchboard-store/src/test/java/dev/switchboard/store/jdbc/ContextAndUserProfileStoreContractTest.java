package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.content.Content;
import dev.switchboard.context.ContextSummary;
import dev.switchboard.session.Message;
import dev.switchboard.session.Session;
import dev.switchboard.userprofile.UserFact;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the compaction summary and user profile stores must do on every database; each subclass runs it on one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContextAndUserProfileStoreContractTest {

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

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void theNewestSummaryOfASessionIsFoundAndGoesWithTheSession() {
        String owner = "o-" + id();
        Session session = store.createSession(id(), owner, "helper", T0);
        ContextSummary first = new ContextSummary("sum-" + id(), session.id(), owner, "m1", "first", 4, 900, T0);
        ContextSummary second = new ContextSummary("sum-" + id(), session.id(), owner, "m9", "second", 12, 1800,
                T0.plusSeconds(5));
        store.contextSummaries().save(first);
        store.contextSummaries().save(second);

        assertThat(store.contextSummaries().latest(session.id())).contains(second);
        store.deleteSession(owner, session.id());
        assertThat(store.contextSummaries().latest(session.id())).isEmpty();
    }

    @Test
    void factsAreOwnedUpdatedInPlaceAndDeletedOnlyByTheirOwner() {
        String owner = "o-" + id();
        UserFact fact = new UserFact("fact-" + id(), owner, "Lives in Lyon", 0.7, false, "s1", 0, T0, T0);
        store.userProfiles().save(fact);
        UserFact flagged = fact.withContradicted(true, T0.plusSeconds(1)).withConfirmation(0.9, T0.plusSeconds(2));
        store.userProfiles().save(flagged);

        assertThat(store.userProfiles().facts(owner)).containsExactly(flagged);
        assertThat(store.userProfiles().find("someone-else", fact.id())).isEmpty();
        assertThat(store.userProfiles().delete("someone-else", fact.id())).isFalse();
        assertThat(store.userProfiles().delete(owner, fact.id())).isTrue();
        assertThat(store.userProfiles().facts(owner)).isEmpty();
    }

    @Test
    void learningProgressIsKeptPerSessionAndNotForADeletedOne() {
        String owner = "o-" + id();
        Session session = store.createSession(id(), owner, "helper", T0);
        store.appendMessage(owner, Message.user("m-" + id(), session.id(), Content.text("hi"), T0));

        store.userProfiles().markLearned(owner, session.id(), "m1", T0);
        store.userProfiles().markLearned(owner, session.id(), "m2", T0.plusSeconds(1));
        assertThat(store.userProfiles().learnedThrough(session.id())).contains("m2");

        String gone = "gone-" + id();
        store.userProfiles().markLearned(owner, gone, "m1", T0);
        assertThat(store.userProfiles().learnedThrough(gone)).isEmpty();
        store.deleteSession(owner, session.id());
        assertThat(store.userProfiles().learnedThrough(session.id())).isEmpty();
    }
}
