package offhours.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownSectionsTest {

  private static final String TEXT = """
      # Title
      ## Part
      ### Alarms
      the table
      #### Which one
      a detail
      ```
      # a shell comment, no heading
      ```
      ### Next
      more
      ## Another part
      """;

  @Test
  void
      aSectionRunsFromItsHeadingToTheNextHeadingOfItsLevelOrHigherKeepingItsSubsectionsAndCodeBlocks() {
    assertThat(MarkdownSections.section(TEXT, "### Alarms", "TEXT"))
        .isEqualTo("### Alarms\nthe table\n#### Which one\na detail\n```\n# a shell comment, no"
            + " heading\n```\n");
    assertThat(MarkdownSections.section(TEXT, "#### Which one", "TEXT"))
        .isEqualTo("#### Which one\na detail\n```\n# a shell comment, no heading\n```\n");
    assertThat(MarkdownSections.section(TEXT, "## Part", "TEXT"))
        .as("a higher heading ends it, a lower one does not")
        .startsWith("## Part\n")
        .endsWith("### Next\nmore\n");
    assertThat(MarkdownSections.section(TEXT, "## Another part", "TEXT"))
        .as("the last runs to the end")
        .isEqualTo("## Another part\n");
  }

  @Test
  void aMissingHeadingFailsNamingItAndTheFileAndSoDoesOneGivenTwice() {
    assertThatThrownBy(() -> MarkdownSections.section(TEXT, "### Alarm", "README.md"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("README.md has no heading '### Alarm': a test reads that section (renamed?"
            + " rename it in the test too)");
    assertThatThrownBy(() -> MarkdownSections.section(TEXT, "## Alarms", "README.md"))
        .as("the level is part of the heading")
        .hasMessageStartingWith("README.md has no heading '## Alarms'");
    assertThatThrownBy(
            () -> MarkdownSections.section(TEXT + "### Alarms\n", "### Alarms", "README.md"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("README.md has the heading '### Alarms' twice (lines 3 and 13); a test reads"
            + " that section, so it must be one");
    assertThatThrownBy(() -> MarkdownSections.section(TEXT, "Alarms", "README.md"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'Alarms' is no Markdown heading: one to six '#', a space and a title");
  }
}
