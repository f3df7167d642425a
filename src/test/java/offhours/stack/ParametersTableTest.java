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
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;

/**
 * README's Parameters table says what template.yaml's Parameters say: one row per parameter, each row's default the
 * parameter's Default, each "at most N characters" its MaxLength, each numeric range ("1-100", "up to 20160") the
 * smallest and largest whole number CloudFormation accepts for it ({@link ParameterConstraints}), and each list of
 * values its AllowedValues. A bound changed in one file and not the other fails here, naming both values.
 */
class ParametersTableTest {

  private static final Pattern ROW = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]*) \\| (.*) \\|$");
  private static final Pattern DEFAULT = Pattern.compile("`([^`]*)`(?: \\((.*)\\))?");
  private static final Pattern MAX_LENGTH = Pattern.compile("(?i)at most (\\d+) characters");

  /** "1-100", "(0-720)", "1-10000": a whole-number range; not a date's or a clock time's digits. */
  private static final Pattern RANGE =
      Pattern.compile("(?<![\\d:.,-])(\\d[\\d,]*)-(\\d[\\d,]*)(?![\\d-]| in 1 GB steps| letters)");

  private static final Pattern UP_TO = Pattern.compile("up to (\\d[\\d,]*)");
  private static final Pattern NUMBER_LIST = Pattern.compile("\\d+(?:, \\d+)+,? or \\d+");
  private static final Pattern GB_STEPS = Pattern.compile("(\\d+)-(\\d+) in 1 GB steps");

  /** Parameters whose AllowedValues the row does not list, and why. */
  private static final Map<String, String> VALUES_NOT_LISTED =
      Map.of("TimeZone", "the IANA zones are too many for a table cell; the row says which kind");

  private final Map<String, Object> template;
  private final ParameterConstraints constraints;
  private final Map<String, String[]> rows;

  ParametersTableTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    constraints = new ParameterConstraints(template);
    rows = rows(MarkdownSections.readme("### Parameters"));
  }

  /** The Parameters section's rows: name -> {default cell, description cell}. */
  static Map<String, String[]> rows(String section) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      rows.put(row.group(1), new String[] {row.group(2), row.group(3)});
    }
    return rows;
  }

  private Map<String, Object> declaration(String parameter) {
    return StackResolver.map(constraints.declarations().get(parameter));
  }

  @Test
  void everyParameterHasARow() {
    assertThat(rows.keySet())
        .as("README's Parameters table rows, against template.yaml's Parameters")
        .containsExactlyInAnyOrderElementsOf(constraints.declarations().keySet());
  }

  @Test
  void eachRowsDefaultIsTheParametersDefault() {
    List<String> wrong = new ArrayList<>();
    rows.forEach((parameter, cells) -> {
      Object declared = declaration(parameter).get("Default");
      String cell = cells[0];
      String said;
      if (cell.equals("(required)")) {
        said = null;
      } else if (cell.equals("(empty)")) {
        said = "";
      } else {
        Matcher m = DEFAULT.matcher(cell);
        if (!m.matches()) {
          wrong.add(parameter + ": README's default cell '" + cell
              + "' is not `VALUE`, `VALUE` (note)," + " (empty) or (required)");
          return;
        }
        said = m.group(1);
        if (m.group(2) != null && m.group(2).endsWith(" days")) {
          long days = Long.parseLong(m.group(2).replace(" days", ""));
          if (days * 86_400 != Long.parseLong(said)) {
            wrong.add(parameter + ": README says `" + said + "` is " + m.group(2) + ", which is "
                + days * 86_400 + " seconds");
          }
        }
      }
      String template = declared == null ? null : String.valueOf(declared);
      if (!java.util.Objects.equals(said, template)) {
        wrong.add(parameter + ": README's default is "
            + (said == null ? "(required)" : "'" + said + "'") + ", template.yaml's Default is "
            + (template == null ? "absent" : "'" + template + "'"));
      }
    });
    assertThat(wrong).as("README Parameters defaults against template.yaml").isEmpty();
  }

  @Test
  void eachLengthLimitTheTableStatesIsTheParametersMaxLength() {
    List<String> wrong = new ArrayList<>();
    rows.forEach((parameter, cells) -> {
      Object maxLength = declaration(parameter).get("MaxLength");
      Matcher said = MAX_LENGTH.matcher(cells[1]);
      String stated = said.find() ? said.group(1) : null;
      // AlarmTopicArn's and ModelDataUrl's "at most 1024 characters" are AWS's limits, and each
      // parameter's MaxLength too.
      String declared = maxLength == null ? null : String.valueOf(maxLength);
      if (!java.util.Objects.equals(stated, declared)) {
        wrong.add(
            parameter + ": README says " + (stated == null ? "no length" : "at most " + stated)
                + ", template.yaml's MaxLength is " + declared);
      }
    });
    assertThat(wrong)
        .as("README Parameters length limits against template.yaml")
        .isEmpty();
  }

  /** A whole number written with or without thousands separators. */
  private static long number(String written) {
    return Long.parseLong(written.replace(",", ""));
  }

  @Test
  void eachRangeTheTableStatesIsWhatTheTemplateAccepts() {
    List<String> wrong = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    rows.forEach((parameter, cells) -> {
      Object byDefault = declaration(parameter).get("Default");
      if (declaration(parameter).containsKey("AllowedValues")
          || !String.valueOf(byDefault).matches("\\d+")) {
        return;
      }
      String description = cells[1];
      Matcher range = RANGE.matcher(description);
      Matcher upTo = UP_TO.matcher(description);
      Long low = null;
      long high;
      if (range.find()) {
        low = number(range.group(1));
        high = number(range.group(2));
      } else if (upTo.find()) {
        high = number(upTo.group(1));
      } else {
        return;
      }
      checked.add(parameter);
      if (low != null) {
        accepts(parameter, low, wrong, "its lowest");
        if (low > 0) {
          refuses(parameter, low - 1, wrong, "below its lowest, " + low);
        }
      }
      accepts(parameter, high, wrong, "its highest");
      refuses(parameter, high + 1, wrong, "above its highest, " + high);
    });
    assertThat(checked)
        .as("parameters whose README row states a range")
        .contains("InstanceCount", "TopK", "MaxReceiveCount", "IdleStopMinutes", "ApiRateLimit");
    assertThat(wrong).as("README Parameters ranges against template.yaml").isEmpty();
  }

  private void accepts(String parameter, long value, List<String> wrong, String what) {
    String why = constraints.refusal(parameter, Long.toString(value));
    if (why != null) {
      wrong.add(parameter + ": README gives " + value + " as " + what
          + ", template.yaml refuses it (" + why + ")");
    }
  }

  private void refuses(String parameter, long value, List<String> wrong, String what) {
    if (constraints.refusal(parameter, Long.toString(value)) == null) {
      wrong.add(
          parameter + ": template.yaml accepts " + value + ", which README's row puts " + what);
    }
  }

  @Test
  void eachRowListsTheParametersAllowedValues() {
    List<String> wrong = new ArrayList<>();
    rows.forEach((parameter, cells) -> {
      Object allowed = declaration(parameter).get("AllowedValues");
      if (allowed == null || VALUES_NOT_LISTED.containsKey(parameter)) {
        return;
      }
      List<String> values =
          StackResolver.list(allowed).stream().map(String::valueOf).toList();
      String description = cells[1];
      List<String> said;
      Matcher steps = GB_STEPS.matcher(description);
      Matcher listed = NUMBER_LIST.matcher(description);
      if (steps.find()) {
        said = new ArrayList<>();
        for (long mb = number(steps.group(1)); mb <= number(steps.group(2)); mb += 1024) {
          said.add(Long.toString(mb));
        }
      } else if (values.stream().allMatch(v -> v.matches("\\d+")) && listed.find()) {
        said = List.of(listed.group().split(",? or |, "));
      } else {
        said = values.stream()
            .filter(v -> description.contains("`" + v + "`") || cells[0].equals("`" + v + "`"))
            .toList();
      }
      if (!said.equals(values)) {
        wrong.add(
            parameter + ": README lists " + said + ", template.yaml's AllowedValues are " + values);
      }
    });
    assertThat(wrong).as("README Parameters values against template.yaml").isEmpty();
  }

  /**
   * The hosting table in "Choosing a hosting option" says the serverless parameters' values too: the concurrencies
   * ServerlessMaxConcurrency takes (not SageMaker's 1-200: a 1 or a 150 fails the deploy) and the memory in GB that
   * ServerlessMemorySizeInMB takes.
   */
  @Test
  void theHostingTableSaysTheServerlessValuesTheTemplateTakes() {
    String section = MarkdownSections.readme("### Choosing a hosting option");
    String concurrency = row(section, "concurrency");
    String instances = row(section, "instances");
    Matcher listed = NUMBER_LIST.matcher(concurrency);
    Matcher gb = Pattern.compile("(\\d+)-(\\d+) GB of memory \\(`ServerlessMemorySizeInMB`\\)")
        .matcher(instances);

    assertThat(listed.find()).as(concurrency).isTrue();
    assertThat(List.of(listed.group().split(",? or |, ")))
        .isEqualTo(
            StackResolver.list(declaration("ServerlessMaxConcurrency").get("AllowedValues"))
                .stream()
                .map(String::valueOf)
                .toList());
    assertThat(RANGE.matcher(concurrency).find()).as(concurrency).isFalse();
    assertThat(gb.find()).as(instances).isTrue();
    List<String> memory =
        StackResolver.list(declaration("ServerlessMemorySizeInMB").get("AllowedValues")).stream()
            .map(String::valueOf)
            .toList();
    assertThat(List.of(memory.getFirst(), memory.getLast()))
        .isEqualTo(List.of(
            Long.toString(number(gb.group(1)) * 1024), Long.toString(number(gb.group(2)) * 1024)));
  }

  /** The hosting table's row whose first cell is {@code name}. */
  private static String row(String section, String name) {
    return section
        .lines()
        .filter(l -> l.startsWith("| " + name + " |"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row '" + name + "' in the hosting table"));
  }
}
