package dev.switchboard.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The skill permission store contract on a SQLite file. */
class SqliteSkillPermissionStoreTest extends SkillPermissionStoreContractTest {

    private Path folder;

    @Override
    protected JdbcStore openStore() throws Exception {
        folder = Files.createTempDirectory("switchboard-skill-permissions-test");
        return JdbcStore.open("jdbc:sqlite:" + folder.resolve("switchboard.db"));
    }

    @Override
    protected void dropDatabase() throws Exception {
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
