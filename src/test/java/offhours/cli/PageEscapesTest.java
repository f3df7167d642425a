package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.ui.PageFiles;
import org.junit.jupiter.api.Test;

/**
 * The page (its script, {@link PageFiles#SCRIPTS}, declares CONTROLS once) shows as escapes exactly the characters the
 * CLI's tables escape ({@link Terminal}).
 */
class PageEscapesTest {

  @Test
  void thePageEscapesTheControlsTheCliEscapes() throws IOException {
    Pattern declaration = Pattern.compile("const CONTROLS = /(\\[[^\\]]+\\])/g;");
    List<String> classes = new ArrayList<>();
    for (String name : PageFiles.SCRIPTS) {
      try (InputStream in = PageEscapesTest.class.getResourceAsStream("/offhours/ui/" + name)) {
        Matcher declared =
            declaration.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (declared.find()) {
          classes.add(declared.group(1));
        }
      }
    }
    assertThat(classes)
        .as("the page's scripts declare CONTROLS once, as one character class")
        .hasSize(1);
    // The class is written with \\uHHHH ranges only, which Java's regular expressions read alike.
    Pattern page = Pattern.compile(classes.get(0));

    List<String> differ = new ArrayList<>();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String one = String.valueOf(c);
      boolean cli = !Terminal.printable(one).equals(one);
      if (cli != page.matcher(one).matches()) {
        differ.add(String.format("U+%04X (CLI %s, page %s)", (int) c, cli, !cli));
      }
    }
    assertThat(differ).as("characters the page and the CLI show differently").isEmpty();
  }
}
