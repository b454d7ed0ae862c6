package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts in bin/ find a JDK 21 or newer by themselves, whatever JAVA_HOME and PATH point at. */
class LauncherTest {

    private static final Path FIND_JAVA = Path.of("..", "bin", "lib", "find-java.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void anOlderJavaHomeAndPathAreSkippedForAJdk21OrNewer() throws Exception {
        // a fake JDK 17 first in line, as on machines whose default java is 17
        Path old = dir.resolve("jdk17");
        Files.createDirectories(old.resolve("bin"));
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path fakeJava = old.resolve("bin/java");
        Files.writeString(fakeJava, "#!/bin/sh\necho 'openjdk version \"17.0.15\"' >&2\n");
        fakeJava.toFile().setExecutable(true);

        String found = run(Map.of("JAVA_HOME", old.toString(), "PATH", old.resolve("bin") + ":/usr/bin:/bin"));
        assertThat(found).doesNotStartWith(old.toString()).endsWith("/bin/java");
        assertThat(majorOf(Path.of(found))).isGreaterThanOrEqualTo(21);
    }

    @Test
    void withNothingSetItLooksUnderUsrLibJvm() throws Exception {
        String found = run(Map.of("PATH", "/bin"));
        assertThat(found).startsWith("/usr/lib/jvm/");
        assertThat(majorOf(Path.of(found))).isGreaterThanOrEqualTo(21);
    }

    private static String run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/bash", "-c",
                "source '" + FIND_JAVA + "' && echo \"$JAVA\""));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    private static int majorOf(Path java) throws IOException {
        Path release = java.getParent().getParent().resolve("release");
        String version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                .findFirst().orElseThrow().replaceAll("[^0-9.]", "");
        return Integer.parseInt(version.split("\\.")[0]);
    }
}
