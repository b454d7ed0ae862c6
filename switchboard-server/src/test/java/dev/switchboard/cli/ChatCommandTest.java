package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChatCommandTest {

    @TempDir
    Path home;

    @Test
    void chatWithTheDefaultAgentConfiguredOnlyByTheEnvironment() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("second"), Reply.text("Second reply."));
            fake.otherwise(Reply.text("Hello from the agent."));
            // a free port where no server answers, so chat runs one in its own process
            Files.createDirectories(home);
            Files.writeString(home.resolve("switchboard.yml"), "port: " + freePort() + "\n");
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", fake.openAiBaseUrl());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String typed = "hello\nsecond question\n/exit\n";
            int exit = new CommandLine(new ChatCommand(env, new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                    .execute("--home", home.toString());

            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(exit).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("Hello from the agent.")
                    .contains("Second reply.");
            assertThat(fake.requests()).hasSize(2);
            // both turns went to the same session: the second request carries the first exchange
            assertThat(fake.requests().get(1).rawBody()).contains("Hello from the agent.");
        }
    }

    @Test
    void aMissingProviderIsExplained() throws Exception {
        Files.createDirectories(home);
        Files.writeString(home.resolve("switchboard.yml"), "port: " + freePort() + "\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(new ChatCommand(Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .execute("--home", home.toString(), "-m", "hi");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("OPENAI_API_KEY");
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
