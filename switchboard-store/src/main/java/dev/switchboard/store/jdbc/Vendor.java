package dev.switchboard.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The databases the store runs on, and what each needs from its connection pool and migrations. */
enum Vendor {

    SQLITE("sqlite") {
        @Override
        HikariDataSource pool(String jdbcUrl, String user, String password) {
            SQLiteConfig config = new SQLiteConfig();
            boolean inMemory = jdbcUrl.contains(":memory:") || jdbcUrl.contains("mode=memory");
            if (!inMemory) {
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            }
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(5000);
            config.enforceForeignKeys(true);
            // a write transaction takes the write lock at BEGIN, where busy_timeout can still wait for it
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource sqlite = new SQLiteDataSource(config);
            sqlite.setUrl(jdbcUrl);

            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("switchboard-sqlite");
            hikari.setDataSource(sqlite);
            if (inMemory) {
                // every connection to :memory: is a database of its own; keep the one forever
                hikari.setMaximumPoolSize(1);
                hikari.setMinimumIdle(1);
                hikari.setMaxLifetime(0);
                hikari.setIdleTimeout(0);
            } else {
                // WAL lets readers run beside the single writer; writes are serialized by JdbcStore
                hikari.setMaximumPoolSize(4);
            }
            return new HikariDataSource(hikari);
        }

        @Override
        boolean serializesWrites() {
            return true;
        }
    },

    POSTGRESQL("postgresql") {
        @Override
        HikariDataSource pool(String jdbcUrl, String user, String password) {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("switchboard-postgresql");
            hikari.setJdbcUrl(jdbcUrl);
            hikari.setUsername(user);
            hikari.setPassword(password);
            hikari.setMaximumPoolSize(10);
            return new HikariDataSource(hikari);
        }

        @Override
        boolean serializesWrites() {
            return false;
        }
    };

    private final String folder;

    Vendor(String folder) {
        this.folder = folder;
    }

    static Vendor of(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("Unsupported database URL (expected jdbc:sqlite: or jdbc:postgresql:): "
                + (jdbcUrl == null ? null : jdbcUrl.replaceAll("\\?.*", "?...")));
    }

    abstract HikariDataSource pool(String jdbcUrl, String user, String password);

    /** True where the database takes one writer at a time and concurrent writers would fail rather than wait. */
    abstract boolean serializesWrites();

    /** The shared migrations, then this vendor's own folder when it has one. */
    String[] migrationLocations() {
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration/common"));
        String own = "db/migration/" + folder;
        if (Vendor.class.getClassLoader().getResource(own) != null) {
            locations.add("classpath:" + own);
        }
        return locations.toArray(String[]::new);
    }
}
