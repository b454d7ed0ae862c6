package dev.switchboard.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationVersionTest {

    @Test
    void theSkipCheckKnowsTheNewestMigration() throws Exception {
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest = 0;
        for (String folder : new String[] {"db/migration/common", "db/migration/sqlite", "db/migration/postgresql"}) {
            var url = JdbcStore.class.getClassLoader().getResource(folder);
            if (url == null) {
                continue;
            }
            try (Stream<Path> files = Files.list(toPath(url))) {
                for (Path file : files.toList()) {
                    Matcher m = version.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        newest = Math.max(newest, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        assertThat(newest).isPositive();
        assertThat(JdbcStore.LATEST_MIGRATION).isEqualTo(newest);
    }

    private static Path toPath(java.net.URL url) throws URISyntaxException {
        return Path.of(url.toURI());
    }
}
