package dev.switchboard.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The conversation search contract on PostgreSQL (tsvector and GIN), each database a schema of its own. */
class PostgresConversationSearchTest extends ConversationSearchContractTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

    private final List<String> schemas = new ArrayList<>();

    @Override
    protected String newDatabase() throws Exception {
        String schema = "sb_search_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        schemas.add(schema);
        return SERVER + "?currentSchema=" + schema;
    }

    @Override
    protected String user() {
        return "postgres";
    }

    @Override
    protected void dropDatabases() throws Exception {
        for (String schema : schemas) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", null);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
