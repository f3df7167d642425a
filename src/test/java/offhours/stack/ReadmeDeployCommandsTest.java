package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each {@code sam deploy --parameter-overrides} command README shows would deploy: its values, read as the shell and
 * then SAM CLI read them (a value quoted with double quotes inside the shell's single quotes loses them), name
 * parameters template.yaml declares, give every parameter without a Default, and pass the parameters' constraints and
 * the template's Rules, which AWS checks only at deploy time.
 */
class ReadmeDeployCommandsTest {

  /** A command from {@code sam deploy} to the end of its backslash-continued lines. */
  private static final Pattern COMMAND =
      Pattern.compile("(?m)^ *sam deploy (?:[^\\n]*\\\\\\n)*[^\\n]*$");

  @Test
  void everyParameterOverridesCommandIsOneTheTemplateAccepts() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    ParameterConstraints constraints = new ParameterConstraints(template);
    List<String> commands = new ArrayList<>();
    Matcher command = COMMAND.matcher(Files.readString(Path.of("README.md")));
    while (command.find()) {
      if (command.group().contains("--parameter-overrides")) {
        commands.add(command.group());
      }
    }

    assertThat(commands)
        .as("README's sam deploy commands with --parameter-overrides")
        .hasSizeGreaterThanOrEqualTo(2);
    for (String text : commands) {
      Map<String, String> values = overrides(text);
      assertThat(constraints.declarations().keySet()).as(text).containsAll(values.keySet());
      StackResolver stack = new StackResolver(template, FakeStack.create(values));
      assertThat(constraints.refusals(stack)).as(text).isEmpty();
    }
  }

  @Test
  void theShellAndSamCliReadAQuotedValueWithSpacesAsOne() {
    assertThat(overrides(
            "sam deploy --parameter-overrides \\\n  TimeZone=UTC 'WorkingHours=\"Mon-Fri 08:00-19:00\"' 'Labels=\"\"'"
                + " --region us-east-1"))
        .containsExactly(
            Map.entry("TimeZone", "UTC"),
            Map.entry("WorkingHours", "Mon-Fri 08:00-19:00"),
            Map.entry("Labels", ""));
  }

  /** The KEY=VALUE pairs after {@code --parameter-overrides}, up to the next option. */
  private static Map<String, String> overrides(String command) {
    List<String> words = shellWords(command.replace("\\\n", " "));
    Map<String, String> values = new LinkedHashMap<>();
    int i = words.indexOf("--parameter-overrides") + 1;
    for (; i < words.size() && !words.get(i).startsWith("--"); i++) {
      String word = words.get(i);
      int eq = word.indexOf('=');
      assertThat(eq).as("a KEY=VALUE override: " + word).isPositive();
      String value = word.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(word.substring(0, eq), value);
    }
    return values;
  }

  /** Words as a POSIX shell splits them: at unquoted blanks, single quotes kept literal and removed. */
  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (quoted) {
        if (c == '\'') {
          quoted = false;
        } else {
          word.append(c);
        }
      } else if (c == '\'') {
        quoted = true;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
