package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import offhours.api.ApiConfig;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import offhours.inference.ModelContract;
import offhours.stack.FunctionVariables;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;

class FunctionEnvironmentsTest {

  private static final String URI = "s3://offhours-models/labels.txt";
  private static final StackSpec.Names NAMES = StackSpec.Names.local();
  private static final LocalResources.Provisioned PROVISIONED = LocalFixtures.PROVISIONED;
  private static final LocalDeployment.Options OPTIONS = LocalFixtures.OPTIONS;

  @Test
  void everyFunctionReadsTheLabelFileFromS3AsTheStackPassesLabelsS3Uri() {
    List<ModelContract> models = List.of(
        ClassifyConfig.fromEnv(FunctionEnvironments.classify(NAMES, PROVISIONED, URI, OPTIONS))
            .model(),
        ControllerConfig.fromEnvironment(
                FunctionEnvironments.controller(NAMES, PROVISIONED, "uuid", URI, OPTIONS))
            .model(),
        ApiConfig.fromEnv(FunctionEnvironments.api(NAMES, PROVISIONED, "uuid", URI, OPTIONS))
            .controller()
            .model());

    assertThat(models).allSatisfy(model -> {
      assertThat(model.labelsS3Uri()).isEqualTo(URI);
      assertThat(model.labels()).as("LABELS, which would win, is empty").isEmpty();
    });
  }

  @Test
  void locallyServerlessTheApiRecordsItsInvocationsAtTheEndpointsMemoryAsClassifyDoes() {
    LocalDeployment.Options serverless = OPTIONS.withModelSettings(Map.of("HOSTING", "serverless"));
    ApiConfig api =
        ApiConfig.fromEnv(FunctionEnvironments.api(NAMES, PROVISIONED, "uuid", URI, serverless));
    ClassifyConfig classify =
        ClassifyConfig.fromEnv(FunctionEnvironments.classify(NAMES, PROVISIONED, URI, serverless));

    assertThat(api.usage().enabled()).isTrue();
    assertThat(api.usage()).isEqualTo(classify.usage());
  }

  @Test
  void locallyServerlessClassifyDatesItsLedgerItemsInTheControllersTimeZone() {
    // A zone whose date is rarely this machine's: Classify's invocations and the controller's
    // endpoint time go to the same day's item only if both read the day in one zone.
    LocalDeployment.Options kiritimati = OPTIONS
        .withModelSettings(Map.of("HOSTING", "serverless"))
        .withController(Map.of("TIME_ZONE", "Pacific/Kiritimati"));
    ControllerConfig controller = ControllerConfig.fromEnvironment(
        FunctionEnvironments.controller(NAMES, PROVISIONED, "uuid", URI, kiritimati));
    ClassifyConfig classify =
        ClassifyConfig.fromEnv(FunctionEnvironments.classify(NAMES, PROVISIONED, URI, kiritimati));

    assertThat(controller.zone()).isEqualTo(java.time.ZoneId.of("Pacific/Kiritimati"));
    assertThat(classify.usage().zone()).isEqualTo(controller.zone());
  }

  @Test
  void theStateFileRecordsTheSettingsTheFunctionsRunWithForTheCommandLine() {
    LocalDeployment.Options options = OPTIONS
        .withModelSettings(Map.of("HOSTING", "serverless"))
        .withController(Map.of("TIME_ZONE", "Pacific/Kiritimati"));
    Map<String, String> controllerEnv =
        FunctionEnvironments.controller(NAMES, PROVISIONED, "uuid", URI, options);
    Map<String, String> classifyEnv =
        FunctionEnvironments.classify(NAMES, PROVISIONED, URI, options);

    Map<String, String> apiEnv = FunctionEnvironments.api(NAMES, PROVISIONED, "uuid", URI, options);

    Map<String, String> recorded =
        FunctionEnvironments.readByTheCommandLine(controllerEnv, classifyEnv, apiEnv);

    assertThat(recorded)
        .containsOnlyKeys(java.util.stream.Stream.of(
                FunctionVariables.CONTROLLER_PARAMETERS.keySet().stream(),
                FunctionVariables.CLASSIFY_PARAMETERS.keySet().stream(),
                java.util.stream.Stream.of("CONTROLLER_INTERVAL_SECONDS"))
            .flatMap(k -> k)
            .toList())
        .containsEntry(
            "CONTROLLER_INTERVAL_SECONDS",
            Long.toString(options.controllerTick().toSeconds()))
        .containsEntry("WAKE_BACKLOG_MESSAGES", "1")
        .containsEntry("BATCHING_WINDOW_SECONDS", "1")
        .containsEntry(
            "TIME_ZONE", ControllerConfig.fromEnvironment(controllerEnv).zone().getId())
        .containsEntry("TIME_ZONE", "Pacific/Kiritimati")
        .containsEntry("HOSTING", "serverless")
        .containsEntry("MAX_WAIT_MINUTES", "0")
        .containsEntry("INSTANCE_TYPE", controllerEnv.get("INSTANCE_TYPE"))
        .containsEntry("SERVERLESS_MEMORY_MB", classifyEnv.get("SERVERLESS_MEMORY_MB"));
  }

  @Test
  void classifysFirstRetryPauseIsLocalModes2SecondsUnlessTheOptionsSettingsGiveOne() {
    ClassifyConfig local =
        ClassifyConfig.fromEnv(FunctionEnvironments.classify(NAMES, PROVISIONED, URI, OPTIONS));
    ClassifyConfig given = ClassifyConfig.fromEnv(FunctionEnvironments.classify(
        NAMES, PROVISIONED, URI, OPTIONS.withModelSettings(Map.of("RETRY_SECONDS", "1"))));

    assertThat(local.retrySeconds()).as("local mode's default").isEqualTo(2);
    assertThat(given.retrySeconds()).as("the options' RETRY_SECONDS").isEqualTo(1);
  }

  @Test
  void withoutALabelFileNeitherIsSet() {
    ModelContract model = ClassifyConfig.fromEnv(
            FunctionEnvironments.classify(NAMES, PROVISIONED, "", OPTIONS))
        .model();

    assertThat(model.labelsS3Uri()).isNull();
    assertThat(model.labels()).isEmpty();
  }

  @Test
  void theOnnxContainersResizeAndNormalizationReachNoFunction() {
    LocalDeployment.Options own = new LocalDeployment.Options(
        OPTIONS.cacheDir(),
        java.util.Optional.of(java.nio.file.Path.of("model.onnx")),
        java.util.Optional.of(java.nio.file.Path.of("labels.txt")),
        java.util.Optional.empty(),
        OPTIONS.creatingDelay(),
        OPTIONS.controllerTick(),
        Map.of(),
        Map.of(
            "NORMALIZE", "imagenet", "RESIZE", "crop", "INPUT_SIZE", "224", "ACCEPT", "text/csv"));

    for (Map<String, String> env : List.of(
        FunctionEnvironments.classify(NAMES, PROVISIONED, URI, own),
        FunctionEnvironments.controller(NAMES, PROVISIONED, "uuid", URI, own),
        FunctionEnvironments.api(NAMES, PROVISIONED, "uuid", URI, own))) {
      assertThat(env)
          .containsEntry("ACCEPT", "text/csv")
          .doesNotContainKeys("NORMALIZE", "RESIZE", "INPUT_SIZE");
    }
  }
}
