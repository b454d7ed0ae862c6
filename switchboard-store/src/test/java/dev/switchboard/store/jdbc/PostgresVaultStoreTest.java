package dev.switchboard.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** The vault's store on the PostgreSQL server at 127.0.0.1:5432 (database {@code test}), a schema per test. */
class PostgresVaultStoreTest extends VaultStoreContractTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private String schema;

    @Override
    protected JdbcStore openFresh() throws Exception {
        schema = "sb_vault_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return JdbcStore.open(SERVER + "?currentSchema=" + schema, USER, null);
    }

    @Override
    protected void dropDatabase() throws Exception {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, null);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
