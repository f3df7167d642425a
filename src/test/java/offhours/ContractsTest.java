package offhours;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.api.ApiConfig;
import offhours.aws.AwsClients;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.cfn.CleanupConfig;
import org.junit.jupiter.api.Test;

/** CONTRACTS.md's table of environment variables names exactly what each function's config reads. */
class ContractsTest {

  /** A row of the table: "| `NAME` | C R A X | ...". */
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Z0-9_]+)` \\| ([CRAX ]+) \\|", Pattern.MULTILINE);

  private static final Map<String, String> REQUIRED = Map.of(
      "TABLE_NAME",
      "results",
      "RESULTS_TABLE_NAME",
      "results",
      "QUEUE_URL",
      "https://sqs.eu-central-1.amazonaws.com/123456789012/q",
      "BUCKET_NAME",
      "images",
      "ENDPOINT_NAME",
      "e",
      "ENDPOINT_CONFIG_NAME",
      "ec",
      "STACK_ID",
      "arn:aws:cloudformation:eu-central-1:123456789012:stack/s/1",
      "MAPPING_UUID",
      "uuid-1",
      "CONTROL_TABLE_NAME",
      "control",
      "AWS_REGION",
      "eu-central-1");

  @Test
  void theTableOfEnvironmentVariablesIsWhatTheConfigsRead() throws IOException {
    Map<String, Consumer<Map<String, String>>> configs = Map.of(
        "C",
        ClassifyConfig::fromEnv,
        "R",
        ControllerConfig::fromEnvironment,
        "A",
        ApiConfig::fromEnv,
        "X",
        CleanupConfig::fromEnvironment);

    Map<String, Set<String>> read = new TreeMap<>();
    // Every function builds its clients with AwsClients.forLambda from the same environment.
    configs.forEach(
        (function, config) -> read.put(function, read(config.andThen(AwsClients::forLambda))));
    assertThat(documented()).isEqualTo(read);
  }

  /** A row's default, its fourth cell: "| `NAME` | C R A X | meaning | default | allowed |". */
  private static final Pattern DEFAULT = Pattern.compile(
      "^\\| `([A-Z0-9_]+)` \\| [CRAX ]+ \\| [^|]* \\| ([^|]*) \\| [^|]* \\|$", Pattern.MULTILINE);

  /**
   * The table's default of each variable is the one the functions assume, as offhours.stack.FunctionVariables writes
   * it (FunctionDefaultsTest): a literal, in backticks or not, "" for empty, prose in parentheses after it.
   */
  @Test
  void theTablesDefaultsAreFunctionVariables() throws IOException {
    Map<String, String> defaults = new HashMap<>();
    for (Map<String, String> function : java.util.List.of(
        offhours.stack.FunctionVariables.CLASSIFY_ENV,
        offhours.stack.FunctionVariables.CONTROLLER_ENV,
        offhours.stack.FunctionVariables.API_ENV)) {
      function.forEach((name, value) -> {
        if (value != null) {
          assertThat(defaults.put(name, value)).as(name).isIn(null, value);
        }
      });
    }
    Matcher row = DEFAULT.matcher(Files.readString(Path.of("CONTRACTS.md")));
    Map<String, String> documented = new TreeMap<>();
    while (row.find()) {
      if (defaults.containsKey(row.group(1))) {
        String cell = row.group(2).replaceAll(" \\(.*\\)$", "").replace("`", "");
        documented.put(row.group(1), cell.equals("\"\"") ? "" : cell);
      }
    }
    // SERVERLESS_MEMORY_MB is told of under the table, not in it.
    defaults.remove("SERVERLESS_MEMORY_MB");

    assertThat(documented).isEqualTo(new TreeMap<>(defaults));
  }

  /** The fields CONTRACTS.md lists for each result of GET /results: "`results` [{`key ...` `labels` [...] `...`}]". */
  private static final Pattern RESULT_FIELDS =
      Pattern.compile("`results` \\[\\{(.*?)\\}\\] \\(the newest 100");

  @Test
  void eachResultOfGetResultsHasExactlyTheFieldsTheContractLists() throws IOException {
    Matcher row = RESULT_FIELDS.matcher(Files.readString(Path.of("CONTRACTS.md")));
    assertThat(row.find()).as("the GET /results row of CONTRACTS.md").isTrue();
    java.util.List<String> documented = java.util.Arrays.stream(row.group(1)
            .replaceAll("\\[\\{[^}]*\\}\\]", "")
            .replace("`", " ")
            .trim()
            .split(" +"))
        .toList();
    offhours.results.ResultItem result = offhours.results.ResultItem.classified(
        new offhours.results.ResultItem.ObjectVersion("b", "k", null, "e", null, 1L, null),
        java.util.List.of(new offhours.results.ResultItem.Label("Neutral", 0.9)),
        "probabilities",
        "m",
        "e",
        java.time.Instant.EPOCH,
        1);

    assertThat(offhours.api.ResultView.of(result, "f74d3ec496f3").keySet())
        .containsExactlyElementsOf(documented);
  }

  /** Variable names by function letter, from CONTRACTS.md. */
  private static Map<String, Set<String>> documented() throws IOException {
    Matcher row = ROW.matcher(Files.readString(Path.of("CONTRACTS.md")));
    Map<String, Set<String>> byFunction = new TreeMap<>();
    while (row.find()) {
      for (String function : row.group(2).trim().split(" +")) {
        byFunction.computeIfAbsent(function, f -> new TreeSet<>()).add(row.group(1));
      }
    }
    assertThat(byFunction)
        .as("function letters in CONTRACTS.md")
        .containsOnlyKeys("C", "R", "A", "X");
    return byFunction;
  }

  /** The names {@code config} looks up in an environment that holds every required variable. */
  private static Set<String> read(Consumer<Map<String, String>> config) {
    Set<String> names = new TreeSet<>();
    Map<String, String> env = new HashMap<>(REQUIRED) {
      @Override
      public String get(Object key) {
        names.add((String) key);
        return super.get(key);
      }

      @Override
      public String getOrDefault(Object key, String fallback) {
        names.add((String) key);
        return super.getOrDefault(key, fallback);
      }

      @Override
      public boolean containsKey(Object key) {
        names.add((String) key);
        return super.containsKey(key);
      }
    };
    config.accept(env);
    return names;
  }
}
