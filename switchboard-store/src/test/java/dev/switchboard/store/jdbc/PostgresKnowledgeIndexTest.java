package dev.switchboard.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** The knowledge index contract on the PostgreSQL server the store's other tests use, in a schema of its own. */
class PostgresKnowledgeIndexTest extends KnowledgeIndexContractTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private final String schema = "sb_knowidx_" + UUID.randomUUID().toString().replace("-", "");
    private boolean created;

    @Override
    protected JdbcStore openStore() throws Exception {
        execute("CREATE SCHEMA " + schema);
        created = true;
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
