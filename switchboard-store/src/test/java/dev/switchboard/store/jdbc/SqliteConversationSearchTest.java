package dev.switchboard.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The conversation search contract on SQLite files (FTS5). */
class SqliteConversationSearchTest extends ConversationSearchContractTest {

    private Path folder;
    private int databases;

    @Override
    protected String newDatabase() throws Exception {
        if (folder == null) {
            folder = Files.createTempDirectory("switchboard-search-test");
        }
        return "jdbc:sqlite:" + folder.resolve("switchboard-" + (databases++) + ".db");
    }

    @Override
    protected String user() {
        return null;
    }

    @Override
    protected void dropDatabases() throws Exception {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
