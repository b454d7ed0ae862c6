package dev.switchboard.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The store contract on the PostgreSQL server at 127.0.0.1:5432 (database {@code test}, user {@code postgres}),
 * in a schema of its own. Fails, rather than skips, when the server is not there.
 */
class PostgresStoreTest extends StoreContractTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private final String schema = "sb_test_" + UUID.randomUUID().toString().replace("-", "");
    private boolean created;

    @Override
    protected JdbcStore openStore() throws Exception {
        if (!created) {
            execute("CREATE SCHEMA " + schema);
            created = true;
        }
        return JdbcStore.open(SERVER + "?currentSchema=" + schema, USER, null);
    }

    @Override
    protected void dropDatabase() throws Exception {
        if (created) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, null);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
