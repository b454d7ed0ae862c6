package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.content.ContentPart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.search.MessageHit;
import dev.switchboard.search.SearchPage;
import dev.switchboard.search.SearchQuery;
import dev.switchboard.search.SessionHit;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What conversation search must do on every database; each subclass runs it against one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConversationSearchContractTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    protected JdbcStore store;

    /** A new, empty database's URL; each call makes another. */
    protected abstract String newDatabase() throws Exception;

    /** The user to connect as, or null. */
    protected abstract String user();

    protected abstract void dropDatabases() throws Exception;

    @BeforeAll
    void open() throws Exception {
        store = JdbcStore.open(newDatabase(), user(), null);
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabases();
    }

    @Test
    void wordsAndPhrasesMatchWholeWordsInAnyCaseAndEveryPartOfTheQueryMustMatch() {
        String owner = owner();
        String s = session(owner);
        Message blueGreen = say(owner, s, Role.USER, "How do we do a Blue-Green deployment?", 1);
        Message greenBlue = say(owner, s, Role.ASSISTANT, "Green then blue: switch the router after deployment.", 2);
        Message other = say(owner, s, Role.USER, "Deployments are scheduled weekly.", 3);

        assertThat(ids(search(owner, "deployment"))).containsExactly(greenBlue.id(), blueGreen.id());
        assertThat(ids(search(owner, "DEPLOYMENT blue"))).containsExactly(greenBlue.id(), blueGreen.id());
        assertThat(ids(search(owner, "\"blue green\""))).containsExactly(blueGreen.id());
        assertThat(ids(search(owner, "\"green then blue\" router"))).containsExactly(greenBlue.id());
        // whole words: "deploy" is not "deployment", and every word must be there
        assertThat(search(owner, "deploy").results()).isEmpty();
        assertThat(ids(search(owner, "deployments weekly"))).containsExactly(other.id());
        assertThat(search(owner, "deployments router").results()).isEmpty();

        MessageHit hit = search(owner, "\"blue green\"").results().getFirst();
        assertThat(hit.message()).isEqualTo(blueGreen);
        assertThat(hit.messageIndex()).isZero();
        assertThat(search(owner, "weekly").results().getFirst().messageIndex()).isEqualTo(2);
    }

    @Test
    void onlyTextPartsAreSearchedAndTheirWordsAcrossParts() {
        String owner = owner();
        String s = session(owner);
        Message mixed = say(owner, s, Role.USER, List.of(new TextPart("look at this diagram"),
                new ImagePart("image/png", "blob-searchable-name", null), new TextPart("then the legend")), 1);
        assertThat(ids(search(owner, "diagram legend"))).containsExactly(mixed.id());
        assertThat(search(owner, "png").results()).isEmpty();
        assertThat(search(owner, "searchable").results()).isEmpty();
    }

    @Test
    void roleAndSessionFiltersNarrowTheMatches() {
        String owner = owner();
        String first = session(owner);
        String second = session(owner);
        Message asked = say(owner, first, Role.USER, "kubernetes question", 1);
        Message answered = say(owner, first, Role.ASSISTANT, "kubernetes answer", 2);
        Message elsewhere = say(owner, second, Role.USER, "kubernetes again", 3);
        Message tool = say(owner, second, Role.TOOL, "kubernetes pods: 3", 4);

        SearchQuery q = SearchQuery.parse("kubernetes", "q");
        assertThat(ids(store.search().messages(owner, q, first, null, 20, 0)))
                .containsExactly(answered.id(), asked.id());
        assertThat(ids(store.search().messages(owner, q, null, Role.USER, 20, 0)))
                .containsExactly(elsewhere.id(), asked.id());
        assertThat(ids(store.search().messages(owner, q, second, Role.TOOL, 20, 0))).containsExactly(tool.id());
        assertThat(store.search().messages(owner, q, "no-such-session", null, 20, 0).total()).isZero();
    }

    @Test
    void pagesAreNewestFirstAndCarryTheTotal() {
        String owner = owner();
        String s = session(owner);
        for (int i = 0; i < 7; i++) {
            say(owner, s, Role.USER, "paging item number " + i, i);
        }
        say(owner, s, Role.USER, "not this one", 10);
        SearchQuery q = SearchQuery.parse("paging", "q");

        SearchPage<MessageHit> first = store.search().messages(owner, q, null, null, 3, 0);
        assertThat(texts(first)).containsExactly("paging item number 6", "paging item number 5",
                "paging item number 4");
        assertThat(first.total()).isEqualTo(7);
        assertThat(first.hasMore()).isTrue();
        SearchPage<MessageHit> last = store.search().messages(owner, q, null, null, 3, 6);
        assertThat(texts(last)).containsExactly("paging item number 0");
        assertThat(last.hasMore()).isFalse();
        SearchPage<MessageHit> beyond = store.search().messages(owner, q, null, null, 3, 50);
        assertThat(beyond.results()).isEmpty();
        assertThat(beyond.total()).isEqualTo(7);
        assertThat(beyond.hasMore()).isFalse();
    }

    @Test
    void aCommonWordsTotalIsCountedUpToTheCapAndPagingStillReachesTheEnd() {
        String owner = owner();
        String s = session(owner);
        int stored = (int) JdbcConversationSearch.TOTAL_CAP + 5;
        for (int i = 0; i < stored; i++) {
            say(owner, s, Role.USER, "frequent word " + i, i);
        }
        SearchQuery q = SearchQuery.parse("frequent", "q");
        SearchPage<MessageHit> first = store.search().messages(owner, q, null, null, 20, 0);
        assertThat(texts(first).getFirst()).isEqualTo("frequent word " + (stored - 1));
        // counted no further than the cap: a lower bound, with more to come
        assertThat(first.total()).isEqualTo(JdbcConversationSearch.TOTAL_CAP);
        assertThat(first.hasMore()).isTrue();
        // near the cap the count reaches past the page asked for, so there is always a next page when one exists
        SearchPage<MessageHit> nearCap = store.search().messages(owner, q, null, null, 20, stored - 25);
        assertThat(nearCap.results()).hasSize(20);
        assertThat(nearCap.hasMore()).isTrue();
        // the last page knows the exact total
        SearchPage<MessageHit> last = store.search().messages(owner, q, null, null, 20, stored - 5);
        assertThat(texts(last)).hasSize(5).last().isEqualTo("frequent word 0");
        assertThat(last.total()).isEqualTo(stored);
        assertThat(last.hasMore()).isFalse();
    }

    @Test
    void anotherOwnersMessagesAreNeverFoundNorCounted() {
        String alice = owner();
        String bob = owner();
        String alicesSession = session(alice);
        say(alice, alicesSession, Role.USER, "the launch code is walrus", 1);
        say(bob, session(bob), Role.USER, "bob also says walrus", 2);

        SearchQuery q = SearchQuery.parse("walrus", "q");
        assertThat(texts(store.search().messages(bob, q, null, null, 20, 0))).containsExactly("bob also says walrus");
        assertThat(store.search().messages(bob, q, alicesSession, null, 20, 0).total()).isZero();
        assertThat(store.search().sessions(bob, q, 20, 0).results()).extracting(h -> h.session().ownerId())
                .containsOnly(bob);
        assertThat(store.search().sessions(bob, q, 20, 0).total()).isEqualTo(1);
    }

    @Test
    void queryLanguageInTheInputIsSearchedForAsPlainWords() {
        String owner = owner();
        String s = session(owner);
        Message tricky = say(owner, s, Role.USER, "Use NEAR or AND, not OR; don't DROP tables -- really \"quoted\" * stars", 1);
        for (String typed : List.of("'; DROP tables; --", "tables'); --", "\"quoted", "stars*", "-really",
                "NEAR(use, and)",
                "NOT really", "AND OR NOT", "don't", "tables\"\"", "^use", "{use}: really", "$$ use $$",
                "use \\ really", "!!! use ???", "use:*")) {
            SearchPage<MessageHit> page = search(owner, typed);
            assertThat(ids(page)).as(typed).containsExactly(tricky.id());
        }
        assertThat(search(owner, "drop \"really tables\"").results()).isEmpty();
        // the table is still there
        assertThat(store.history(s)).hasSize(1);
    }

    @Test
    void deletedAndClearedMessagesLeaveTheIndex() {
        String owner = owner();
        String kept = session(owner);
        String deleted = session(owner);
        String cleared = session(owner);
        say(owner, kept, Role.USER, "ephemeral keeps", 1);
        say(owner, deleted, Role.USER, "ephemeral goes with its session", 2);
        say(owner, cleared, Role.USER, "ephemeral goes with the history", 3);
        assertThat(search(owner, "ephemeral").total()).isEqualTo(3);

        assertThat(store.deleteSession(owner, deleted)).isTrue();
        store.clearHistory(cleared);
        assertThat(texts(search(owner, "ephemeral"))).containsExactly("ephemeral keeps");
        Message again = say(owner, cleared, Role.USER, "ephemeral after clearing", 4);
        assertThat(search(owner, "ephemeral").results().getFirst().message()).isEqualTo(again);
        assertThat(search(owner, "ephemeral").results().getFirst().messageIndex()).isZero();
    }

    @Test
    void sessionSearchCountsMatchesAndShowsTheFirstOne() {
        String owner = owner();
        String older = session(owner);
        String newer = session(owner);
        Message firstInOlder = say(owner, older, Role.USER, "pelican one", 1);
        say(owner, older, Role.ASSISTANT, "nothing here", 2);
        say(owner, older, Role.ASSISTANT, "pelican two", 3);
        Message onlyInNewer = say(owner, newer, Role.USER, "pelican three", 10);
        session(owner);

        SearchPage<SessionHit> page = store.search().sessions(owner, SearchQuery.parse("pelican", "q"), 20, 0);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.results()).extracting(h -> h.session().id()).containsExactly(newer, older);
        SessionHit olderHit = page.results().get(1);
        assertThat(olderHit.matchCount()).isEqualTo(2);
        assertThat(olderHit.firstMatch().message()).isEqualTo(firstInOlder);
        assertThat(olderHit.firstMatch().messageIndex()).isZero();
        assertThat(olderHit.session().messageCount()).isEqualTo(3);
        assertThat(page.results().getFirst().firstMatch().message()).isEqualTo(onlyInNewer);

        SearchPage<SessionHit> second = store.search().sessions(owner, SearchQuery.parse("pelican", "q"), 1, 1);
        assertThat(second.results()).extracting(h -> h.session().id()).containsExactly(older);
        assertThat(second.hasMore()).isFalse();
        assertThat(store.search().sessions(owner, SearchQuery.parse("pelican", "q"), 1, 5).total()).isEqualTo(2);
    }

    @Test
    void messagesStoredBeforeTheIndexExistedAreFound() throws Exception {
        String url = newDatabase();
        Flyway.configure()
                .dataSource(url, user(), null)
                .locations(Vendor.of(url).migrationLocations())
                .target("6")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, user(), null)) {
            c.createStatement().execute("INSERT INTO sessions (id, owner_id, agent_id, created_at, last_activity, "
                    + "message_count, message_positions) VALUES ('old', 'olduser', 'default', 1, 2, 2, 2)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO messages (id, session_id, owner_id, "
                    + "position, role, content, created_at) VALUES (?, 'old', 'olduser', ?, 'user', ?, ?)")) {
                insert.setString(1, "m1");
                insert.setLong(2, 1);
                insert.setString(3, "[{\"type\":\"text\",\"text\":\"archived albatross\"},"
                        + "{\"type\":\"image\",\"blobId\":\"b\"},{\"type\":\"text\",\"text\":\"second part\"}]");
                insert.setLong(4, 1);
                insert.execute();
                insert.setString(1, "m2");
                insert.setLong(2, 2);
                insert.setString(3, "[{\"type\":\"text\",\"text\":\"unrelated\"}]");
                insert.setLong(4, 2);
                insert.execute();
            }
        }
        try (JdbcStore migrated = JdbcStore.open(url, user(), null)) {
            SearchPage<MessageHit> page = migrated.search().messages("olduser",
                    SearchQuery.parse("\"albatross second\"", "q"), null, null, 20, 0);
            assertThat(ids(page)).containsExactly("m1");
        }
    }

    // ---- helpers

    private SearchPage<MessageHit> search(String owner, String typed) {
        return store.search().messages(owner, SearchQuery.parse(typed, "q"), null, null, 20, 0);
    }

    private static String owner() {
        return "user-" + UUID.randomUUID();
    }

    private String session(String owner) {
        String id = "s-" + UUID.randomUUID();
        store.createSession(id, owner, "default", T0);
        return id;
    }

    private Message say(String owner, String session, Role role, String text, int minute) {
        return say(owner, session, role, List.of(new TextPart(text)), minute);
    }

    private Message say(String owner, String session, Role role, List<ContentPart> content, int minute) {
        Message m = new Message("m-" + UUID.randomUUID(), session, null, role, content, null, List.of(), null, null,
                null, null, null, null, null, T0.plusSeconds(60L * minute));
        store.appendMessage(owner, m);
        return m;
    }

    private static List<String> ids(SearchPage<MessageHit> page) {
        return page.results().stream().map(h -> h.message().id()).toList();
    }

    private static List<String> texts(SearchPage<MessageHit> page) {
        return page.results().stream().map(h -> dev.switchboard.content.Content.plainText(h.message().content()))
                .toList();
    }
}
