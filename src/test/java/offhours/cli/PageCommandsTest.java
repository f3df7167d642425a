package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.results.ResultItem.SettingsState;
import offhours.ui.PageFiles;
import org.junit.jupiter.api.Test;

/**
 * The reprocess command the page (ui/index.html and each of its scripts, {@link PageFiles#SCRIPTS}) suggests for
 * results under older settings is one the CLI accepts, and selects those results only: the page cannot name an option
 * the command does not have.
 */
class PageCommandsTest {

  private static final Pattern REPROCESS =
      Pattern.compile("scripts/offhours reprocess((?: --[a-z-]+(?: [^\\s'<-][^\\s'<]*)?)*)");

  private static String asset(String name) throws IOException {
    try (InputStream in = PageCommandsTest.class.getResourceAsStream("/offhours/ui/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theReprocessCommandsThePageSuggestsParseAndSelectTheStaleClassificationsOnly()
      throws IOException {
    List<String> suggested = new ArrayList<>();
    List<String> files = new ArrayList<>(List.of("index.html"));
    files.addAll(PageFiles.SCRIPTS);
    for (String name : files) {
      Matcher m = REPROCESS.matcher(asset(name));
      while (m.find()) {
        suggested.add(m.group(1).trim());
      }
    }
    assertThat(suggested)
        .as("the summary line and the titles of the changed and unknown marks")
        .hasSize(3)
        .containsOnly("--settings stale");
    for (String options : suggested) {
      Arguments args = ArgumentParser.parse(
          "reprocess", new ReprocessCommand().options(), Arrays.asList(options.split(" ")));
      ReprocessSelection selection = ReprocessCommand.selection(args, Clock.systemUTC());
      assertThat(selection.status()).contains("CLASSIFIED");
      assertThat(selection.settings())
          .containsExactlyInAnyOrder(SettingsState.CHANGED, SettingsState.UNKNOWN);
    }
  }
}
