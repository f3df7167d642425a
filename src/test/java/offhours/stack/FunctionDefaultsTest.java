package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import offhours.api.ApiConfig;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import org.junit.jupiter.api.Test;

/**
 * Each function assumes, for a variable it is not given, the default FunctionVariables writes for it (which the
 * template's parameters default to as well, TemplateMatchesStackSpecTest): settings read with only what a deployment
 * names equal settings read with every default written out. The controller and the API take their defaults from
 * FunctionVariables; Classify, whose zip does not carry it, keeps copies, which this holds to it.
 */
class FunctionDefaultsTest {

  /** The controller's variables that have no default: what a deployment names. */
  private static final Map<String, String> CONTROLLER_NAMES = Map.of(
      "ENDPOINT_NAME", "offhours-endpoint",
      "ENDPOINT_CONFIG_NAME", "offhours-endpoint-config",
      "MODEL_NAME", "offhours-model",
      "STACK_ID", "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid",
      "MAPPING_UUID", "uuid-1",
      "QUEUE_URL", "http://q",
      "DLQ_URL", "http://dlq",
      "CONTROL_TABLE_NAME", "offhours-control",
      "LABELS", "cat,dog",
      "TIMER_QUEUE_URL", "http://timer");

  private static final Map<String, String> API_NAMES = api();

  private static final Map<String, String> CLASSIFY_NAMES = Map.of(
      "TABLE_NAME", "offhours-results",
      "QUEUE_URL", "http://q",
      "BUCKET_NAME", "offhours-images",
      "ENDPOINT_NAME", "offhours-endpoint",
      "MODEL_NAME", "offhours-model",
      "CONTROL_TABLE_NAME", "offhours-control",
      "LABELS", "cat,dog");

  private static final Map<String, String> SERVERLESS = Map.of("HOSTING", "serverless");

  @Test
  void theNamesAreVariablesOfTheirFunctionsWithoutADefault() {
    assertNamesWithoutDefault(FunctionVariables.CONTROLLER_ENV, CONTROLLER_NAMES);
    assertNamesWithoutDefault(FunctionVariables.API_ENV, API_NAMES);
    assertNamesWithoutDefault(FunctionVariables.CLASSIFY_ENV, CLASSIFY_NAMES);
  }

  @Test
  void theControllerAssumesFunctionVariablesDefaults() {
    for (Map<String, String> hosting : java.util.List.of(Map.<String, String>of(), SERVERLESS)) {
      Map<String, String> names = with(CONTROLLER_NAMES, hosting);
      assertThat(ControllerConfig.fromEnvironment(names))
          .usingRecursiveComparison()
          .isEqualTo(
              ControllerConfig.fromEnvironment(written(FunctionVariables.CONTROLLER_ENV, names)));
    }
  }

  @Test
  void theApiAssumesFunctionVariablesDefaults() {
    for (Map<String, String> hosting : java.util.List.of(Map.<String, String>of(), SERVERLESS)) {
      Map<String, String> names = with(API_NAMES, hosting);
      assertThat(ApiConfig.fromEnv(names))
          .usingRecursiveComparison()
          .isEqualTo(ApiConfig.fromEnv(written(FunctionVariables.API_ENV, names)));
    }
  }

  @Test
  void classifyAssumesFunctionVariablesDefaults() {
    for (Map<String, String> hosting : java.util.List.of(Map.<String, String>of(), SERVERLESS)) {
      Map<String, String> names = with(CLASSIFY_NAMES, hosting);
      assertThat(ClassifyConfig.fromEnv(names))
          .usingRecursiveComparison()
          .isEqualTo(ClassifyConfig.fromEnv(written(FunctionVariables.CLASSIFY_ENV, names)));
    }
  }

  /** The zone of the ledger's days is the controller's, whichever function adds to it. */
  @Test
  void everyFunctionKeepsTheLedgerInTheControllersDefaultZone() {
    String zone = FunctionVariables.CONTROLLER_ENV.get("TIME_ZONE");

    assertThat(
            ControllerConfig.fromEnvironment(with(CONTROLLER_NAMES, SERVERLESS)).zone())
        .hasToString(zone);
    assertThat(ControllerConfig.fromEnvironment(with(CONTROLLER_NAMES, SERVERLESS))
            .probeLedger()
            .zone())
        .hasToString(zone);
    assertThat(ApiConfig.fromEnv(with(API_NAMES, SERVERLESS)).usage().zone()).hasToString(zone);
    assertThat(ClassifyConfig.fromEnv(with(CLASSIFY_NAMES, SERVERLESS)).usage().zone())
        .hasToString(zone);
  }

  private static Map<String, String> api() {
    Map<String, String> names = new HashMap<>(CONTROLLER_NAMES);
    names.remove("TIMER_QUEUE_URL");
    names.put("BUCKET_NAME", "offhours-images");
    names.put("RESULTS_TABLE_NAME", "offhours-results");
    return Map.copyOf(names);
  }

  private static void assertNamesWithoutDefault(
      Map<String, String> variables, Map<String, String> names) {
    assertThat(variables).containsKeys(names.keySet().toArray(String[]::new));
    names.keySet().forEach(name -> assertThat(variables.get(name)).as(name).isNull());
  }

  private static Map<String, String> with(Map<String, String> names, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(names);
    env.putAll(more);
    return env;
  }

  /** {@code names} over every default of {@code variables}, as the template writes them out. */
  private static Map<String, String> written(
      Map<String, String> variables, Map<String, String> names) {
    Map<String, String> env = new HashMap<>();
    variables.forEach((name, value) -> {
      if (value != null) {
        env.put(name, value);
      }
    });
    env.putAll(names);
    return env;
  }
}
