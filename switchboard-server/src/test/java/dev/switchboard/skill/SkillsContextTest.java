package dev.switchboard.skill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.context.ContextRequest;
import dev.switchboard.context.ContextSection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillsContextTest {

    @TempDir
    Path home;

    @Test
    void thePromptListsTheAgentsSkillsByNameAndTheToolLoadsTheirInstructions() {
        FileSkillCatalog skills = new FileSkillCatalog(home.resolve("skills"), home.resolve("agents"));
        skills.save(new Skill("tidy-csv", null, "Tidy CSV", "Clean up CSV files before analysis.", List.of(),
                List.of(), null, "Trim cells. Normalize dates to ISO 8601."));
        skills.save(BundledSkills.load().find("code-review").orElseThrow().placed("code-review", "coder"));
        SkillsContext context = new SkillsContext(skills);

        ContextSection section = context.contribute(new ContextRequest("operator", "s1", "coder", "hi",
                Instant.now())).orElseThrow();
        assertThat(section.title()).isEqualTo("Skills");
        assertThat(section.text()).contains("- tidy-csv: Tidy CSV — Clean up CSV files before analysis.")
                .contains("- code-review: Code review").contains("load_skill")
                // progressive disclosure: names and descriptions only
                .doesNotContain("Normalize dates");
        assertThat(context.contribute(new ContextRequest("operator", "s1", "writer", "hi", Instant.now()))
                .orElseThrow().text()).doesNotContain("code-review");

        LoadSkillTool tool = new LoadSkillTool(skills);
        var context2 = new dev.switchboard.tool.ToolContext("operator", "coder", "s1", "r1", "c1", null, null, null);
        assertThat(tool.execute("{\"id\":\"tidy-csv\"}", context2).output()).contains("Normalize dates");
        skills.setEnabled("coder", "tidy-csv", false);
        assertThat(tool.execute("{\"id\":\"tidy-csv\"}", context2).success()).isFalse();
        assertThat(context.contribute(new ContextRequest("operator", "s1", "coder", "hi", Instant.now()))
                .orElseThrow().text()).doesNotContain("tidy-csv");
        skills.setEnabled("coder", "code-review", false);
        assertThat(context.contribute(new ContextRequest("operator", "s1", "coder", "hi", Instant.now())))
                .isEmpty();
    }
}
