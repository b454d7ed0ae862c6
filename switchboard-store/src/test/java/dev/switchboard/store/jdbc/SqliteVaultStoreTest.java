package dev.switchboard.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The vault's store on a SQLite file. */
class SqliteVaultStoreTest extends VaultStoreContractTest {

    private Path folder;

    @Override
    protected JdbcStore openFresh() throws Exception {
        folder = Files.createTempDirectory("switchboard-vault-test");
        return JdbcStore.open("jdbc:sqlite:" + folder.resolve("switchboard.db"));
    }

    @Override
    protected void dropDatabase() throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
