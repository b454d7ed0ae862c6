package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.agent.AgentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownKeyNamesFileLineAndKey() {
        assertThatThrownBy(() -> FileAgentCatalog.parse("a", "agents/a.yml", """
                systemPrompt: hi
                llm:
                  provider: openai
                  modle: gpt-4o
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agents/a.yml:4:")
                .hasMessageContaining("'llm.modle'")
                .hasMessageContaining("unknown key")
                .hasMessageContaining("model");
    }

    @Test
    void anUnknownProviderIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> FileAgentCatalog.parse("a", "agents/a.yml", """
                llm:
                  provider: skynet
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agents/a.yml:2:")
                .hasMessageContaining("'llm.provider'")
                .hasMessageContaining("provider 'skynet' is not known")
                .hasMessageContaining("anthropic");
    }

    @Test
    void invalidYamlAndWrongTypesAreReportedWithTheirLine() {
        assertThatThrownBy(() -> FileAgentCatalog.parse("a", "agents/a.yml", "llm:\n  provider: 'openai\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agents/a.yml:")
                .hasMessageContaining("invalid YAML");
        ConfigException wrongType = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> FileAgentCatalog.parse("a", "agents/a.yml", "llm:\n  maxIterations: many\n", Map.of()));
        assertThat(wrongType.line()).isEqualTo(2);
        assertThat(wrongType.key()).isEqualTo("llm.maxIterations");
        assertThatThrownBy(() -> FileAgentCatalog.parse("a", "agents/a.yml", """
                mcpServers:
                  files:
                    type: stdio
                """, Map.of()))
                .hasMessageContaining("mcpServers.files")
                .hasMessageContaining("command is required");
        assertThatThrownBy(() -> FileAgentCatalog.parse("a", "agents/a.yml", "permissions:\n  mode: yolo\n", Map.of()))
                .hasMessageContaining("manual, auto-approve or auto-deny");
    }

    @Test
    void theProviderAndKeyComeFromTheEnvironmentWhenTheFileHasNone() {
        AgentDefinition agent = FileAgentCatalog.parse("a", "agents/a.yml", "systemPrompt: hi\n",
                Map.of("ANTHROPIC_API_KEY", "sk-ant-test"));
        assertThat(agent.llm().provider()).isEqualTo("anthropic");
        assertThat(agent.llm().apiKey()).isEqualTo("sk-ant-test");
        assertThat(agent.llm().toString()).doesNotContain("sk-ant-test");

        AgentDefinition referenced = FileAgentCatalog.parse("a", "agents/a.yml", """
                llm:
                  provider: openai
                  apiKey: $MY_KEY
                """, Map.of("MY_KEY", "sk-mine", "OPENAI_BASE_URL", "http://127.0.0.1:9/v1"));
        assertThat(referenced.llm().apiKey()).isEqualTo("sk-mine");
        assertThat(referenced.llm().baseUrl()).isEqualTo("http://127.0.0.1:9/v1");

        AgentDefinition gemini = FileAgentCatalog.parse("a", "agents/a.yml", "{}", Map.of("GEMINI_API_KEY", "g"));
        assertThat(gemini.llm().provider()).isEqualTo("google");
        AgentDefinition ollama = FileAgentCatalog.parse("a", "agents/a.yml", "{}",
                Map.of("OLLAMA_BASE_URL", "http://127.0.0.1:11434"));
        assertThat(ollama.llm().provider()).isEqualTo("ollama");
    }

    @Test
    void withoutAnyProviderTheAgentLoadsAndExplainsWhatToConfigure() {
        AgentDefinition agent = FileAgentCatalog.parse("default", "agents/default.yml", "systemPrompt: hi\n", Map.of());
        assertThat(agent.llm()).isNull();
        assertThat(agent.llmProblem()).contains("OPENAI_API_KEY").contains("ANTHROPIC_API_KEY")
                .contains("agents/default.yml");
        AgentDefinition unset = FileAgentCatalog.parse("b", "agents/b.yml", "llm:\n  provider: openai\n  apiKey: $NOPE\n",
                Map.of());
        assertThat(unset.llmProblem()).contains("$NOPE");
    }

    @Test
    void theCatalogTakesTheIdFromTheFileNameAndTheHomeCreatesADefaultAgent() throws Exception {
        Home home = new Home(dir);
        home.initialize();
        assertThat(Files.readString(home.agentsDir().resolve("default.yml"))).contains("systemPrompt");
        Files.writeString(home.agentsDir().resolve("helper.yml"), "systemPrompt: I help.\ngreeting: Hi\n");
        FileAgentCatalog catalog = FileAgentCatalog.load(home.agentsDir(), home.workspacesDir(), null,
                Map.of("OPENAI_API_KEY", "k"));
        assertThat(catalog.find("helper")).hasValueSatisfying(a -> {
            assertThat(a.systemPrompt()).isEqualTo("I help.");
            assertThat(a.greeting()).isEqualTo("Hi");
        });
        assertThat(catalog.defaultAgentId()).isEqualTo("default");
        assertThat(catalog.find("default").orElseThrow().tools()).containsExactly("current_time");
    }

    @Test
    void serverConfigErrorsNameTheKey() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, "host: 127.0.0.1\nprot: 80\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("switchboard.yml:2:")
                .hasMessageContaining("'prot'");
        Files.writeString(file, "database:\n  url: mysql://x\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("jdbc:sqlite: or jdbc:postgresql:");
        Files.writeString(file, "port: 4000\nlimits:\n  maxRequestBytes: 1024\n");
        ServerConfig config = ServerConfigFile.load(file, Map.of());
        assertThat(config.port()).isEqualTo(4000);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.limits().maxRequestBytes()).isEqualTo(1024);
        assertThat(config.limits().keepAliveSeconds()).isEqualTo(15);
    }

    @Test
    void toolSettingsHaveDefaultsAndTheirErrorsNameTheKeyAndLine() throws Exception {
        Path file = dir.resolve("switchboard.yml");
        Files.writeString(file, "port: 4000\n");
        ServerConfig.Tools defaults = ServerConfigFile.load(file, Map.of()).tools();
        assertThat(defaults.httpRequest().allowedHosts()).isEmpty();
        assertThat(defaults.httpRequest().allowPrivate()).isEmpty();
        assertThat(defaults.httpRequest().maxResponseBytes()).isEqualTo(1024 * 1024);
        assertThat(defaults.httpRequest().timeoutSeconds()).isEqualTo(30);
        assertThat(defaults.runCommand().maxTimeoutSeconds()).isEqualTo(600);
        assertThat(defaults.runCommand().maxOutputBytes()).isEqualTo(64 * 1024);

        Files.writeString(file, """
                tools:
                  httpRequest:
                    allowedHosts: [api.example.com, "*.github.com"]
                    allowPrivate: [127.0.0.1, 10.0.0.0/8]
                    maxResponseBytes: 2048
                    timeoutSeconds: 5
                  runCommand:
                    maxTimeoutSeconds: 120
                """);
        ServerConfig.Tools tools = ServerConfigFile.load(file, Map.of()).tools();
        assertThat(tools.httpRequest().allowedHosts()).containsExactly("api.example.com", "*.github.com");
        assertThat(tools.httpRequest().allowPrivate()).containsExactly("127.0.0.1", "10.0.0.0/8");
        assertThat(tools.httpRequest().maxResponseBytes()).isEqualTo(2048);
        assertThat(tools.runCommand().maxTimeoutSeconds()).isEqualTo(120);

        Files.writeString(file, "tools:\n  httpRequest:\n    allowPrivate: [127.0.0.1, 10.0.0.0/40]\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("switchboard.yml:3:")
                .hasMessageContaining("'tools.httpRequest.allowPrivate'")
                .hasMessageContaining("'10.0.0.0/40' has a prefix length that is not between 0 and 32");
        Files.writeString(file, "tools:\n  runCommand:\n    maxTimeoutSeconds: 0\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("switchboard.yml:3:")
                .hasMessageContaining("'tools.runCommand.maxTimeoutSeconds': maxTimeoutSeconds must be greater than 0");
        Files.writeString(file, "tools:\n  shell: {}\n");
        assertThatThrownBy(() -> ServerConfigFile.load(file, Map.of()))
                .hasMessageContaining("switchboard.yml:2:")
                .hasMessageContaining("'tools.shell': unknown key");
    }

    @Test
    void anMcpServerNameThatCannotPrefixToolNamesIsRefusedWithItsLine() {
        assertThatThrownBy(() -> FileAgentCatalog.parse("a", "agents/a.yml", """
                systemPrompt: hi
                mcpServers:
                  files.v2:
                    command: node
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agents/a.yml:3:")
                .hasMessageContaining("'mcpServers.files.v2'")
                .hasMessageContaining("letters, digits");
    }
}
