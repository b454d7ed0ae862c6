package dev.switchboard.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds secrets in text files line by line, reporting file and line but never the secret itself. */
public final class SecretScan {

    /** One secret on one line. */
    public record Finding(Path file, int line, String secretHint) {
        @Override
        public String toString() {
            return file + ":" + line + " holds " + secretHint;
        }
    }

    private SecretScan() {
    }

    /** Every line of {@code file} that holds any of {@code secrets}; none when the file does not exist. */
    public static List<Finding> scan(Path file, Collection<String> secrets) {
        List<Finding> findings = new ArrayList<>();
        if (!Files.exists(file)) {
            return findings;
        }
        // bodies may hold bytes that are not UTF-8: read them replaced rather than fail the scan
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader lines = new BufferedReader(
                new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        findings.add(new Finding(file, number, TestSecrets.hint(secret)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot scan " + file, e);
        }
        return findings;
    }
}
