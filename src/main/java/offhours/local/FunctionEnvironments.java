package offhours.local;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import offhours.local.model.Preprocessing;
import offhours.stack.FunctionVariables;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;

/**
 * The environment variables the local stack gives its functions: the template's (from {@link StackSpec}), the
 * names of what local mode provisioned, and local mode's own settings.
 */
final class FunctionEnvironments {

  /** The local stack's id: the controller tags the endpoints it creates with it. */
  static final String STACK_ID = "offhours-local";
  /** The inference component local mode's controller creates with HOSTING scale-to-zero. */
  static final String INFERENCE_COMPONENT = "offhours-component";
  /** The local trigger's batching window: short, so a demo's results come at once; the controller plans with it. */
  static final int BATCHING_WINDOW_SECONDS = 1;

  private FunctionEnvironments() {}

  /**
   * Local mode's controller policy: no working hours, wake as soon as one upload waits, stop once the queue is drained,
   * as outside working hours (no latency budget: MAX_WAIT_MINUTES=0; IDLE_STOP_MINUTES counts only inside working
   * hours, which a test's options may give). So the endpoint sleeps until there is work, as the design intends, and a
   * demo shows a whole cycle.
   */
  private static Map<String, String> controllerDefaults() {
    return Map.of(
        "TIME_ZONE", ZoneId.systemDefault().getId(),
        "WORKING_HOURS", "",
        "WAKE_BACKLOG_MESSAGES", "1",
        "IDLE_STOP_MINUTES", "1",
        "MAX_WAIT_MINUTES", "0",
        "BATCHING_WINDOW_SECONDS", Integer.toString(BATCHING_WINDOW_SECONDS),
        "CREATE_TIMEOUT_MINUTES", "5",
        "DRAIN_TIMEOUT_MINUTES", "2");
  }

  /**
   * {@code labelsS3Uri}: where {@link LocalResources#putLabels} put the labels file, or empty when the model's answers
   * name their classes. The options' model settings: how the model is called and read (CONTENT_TYPE, ACCEPT, SCORES),
   * as the template sets; their controller settings: the TIME_ZONE whose days the ledger is kept in.
   */
  static Map<String, String> classify(
      StackSpec.Names names,
      LocalResources.Provisioned provisioned,
      String labelsS3Uri,
      LocalDeployment.Options options) {
    Map<String, String> modelSettings = options.modelSettings();
    Map<String, String> env = template(FunctionVariables.CLASSIFY_ENV);
    env.put("TABLE_NAME", provisioned.resultsTable());
    env.put("QUEUE_URL", provisioned.queueUrl());
    env.put("BUCKET_NAME", provisioned.bucket());
    env.put("ENDPOINT_NAME", names.endpoint());
    env.put("MODEL_NAME", names.model());
    env.put("CONTROL_TABLE_NAME", provisioned.controlTable());
    // The controller's zone, as the template gives both functions the stack's TimeZone: with
    // HOSTING=serverless Classify adds its invocations to the ledger item of the controller's day
    // (offhours.aws.UsageLedger), which 'offhours cost' reads in that zone.
    env.put(
        "TIME_ZONE",
        options.controller().getOrDefault("TIME_ZONE", controllerDefaults().get("TIME_ZONE")));
    env.putAll(labels(labelsS3Uri));
    // A failed message's first retry pause is 2 s rather than 30 (2, 4, 8, 16 s): local failures
    // come and go in seconds, and a walk to the DLQ takes about a minute. The options' settings
    // replace it (RetryPaceIT walks with 1 s).
    env.put("RETRY_SECONDS", "2");
    env.putAll(forFunctions(modelSettings));
    env.putAll(component(modelSettings));
    // As the template: a serverless endpoint takes 4 MB.
    env.put("MAX_IMAGE_BYTES", Integer.toString(hosting(modelSettings).maxImageBytes()));
    // Locally a deferred copy comes back after 5 s rather than a minute: the endpoint starts in
    // seconds.
    env.put("DEFER_SECONDS", "5");
    return env;
  }

  /**
   * The controller's variables; the options' controller settings replace local defaults, and the probe calls the
   * model with the same labels and settings as Classify.
   */
  static Map<String, String> controller(
      StackSpec.Names names,
      LocalResources.Provisioned provisioned,
      String mappingUuid,
      String labelsS3Uri,
      LocalDeployment.Options options) {
    Map<String, String> env = template(FunctionVariables.CONTROLLER_ENV);
    env.putAll(controllerDefaults());
    env.putAll(options.controller());
    env.put("STACK_ID", STACK_ID);
    env.put("ENDPOINT_NAME", names.endpoint());
    env.put("ENDPOINT_CONFIG_NAME", names.endpointConfig());
    env.put("MAPPING_UUID", mappingUuid);
    env.put("QUEUE_URL", provisioned.queueUrl());
    env.put("DLQ_URL", provisioned.deadLetterQueueUrl());
    env.put("TIMER_QUEUE_URL", provisioned.timerQueueUrl());
    env.put("CONTROL_TABLE_NAME", provisioned.controlTable());
    env.putAll(labels(labelsS3Uri));
    env.putAll(forFunctions(options.modelSettings()));
    env.putAll(component(options.modelSettings()));
    env.put("MODEL_NAME", names.model());
    return env;
  }

  /**
   * The model settings a function reads: all but the ONNX container's resize, normalization and input size,
   * which only the model's container environment carries ({@link StackModel}).
   */
  private static Map<String, String> forFunctions(Map<String, String> modelSettings) {
    Map<String, String> settings = new HashMap<>(modelSettings);
    settings.keySet().removeAll(Preprocessing.SETTINGS);
    return settings;
  }

  /**
   * The class names as the stack passes a labels file (LabelsS3Uri): LABELS_S3_URI, with LABELS empty since it would
   * win. LABELS is comma-separated and cannot carry a name like "tench, Tinca tinca"; the file holds one per line.
   */
  private static Map<String, String> labels(String labelsS3Uri) {
    return Map.of("LABELS", "", "LABELS_S3_URI", labelsS3Uri);
  }

  /**
   * The inference component's name with HOSTING scale-to-zero (INFERENCE_COMPONENT_NAME, as the template derives it
   * from the endpoint's), empty otherwise.
   */
  private static Map<String, String> component(Map<String, String> modelSettings) {
    boolean components = hosting(modelSettings) == Hosting.SCALE_TO_ZERO;
    return Map.of("INFERENCE_COMPONENT_NAME", components ? INFERENCE_COMPONENT : "");
  }

  /** The hosting the options' model settings name; scheduled, the template's default, when they name none. */
  private static Hosting hosting(Map<String, String> modelSettings) {
    return Hosting.parse(modelSettings.getOrDefault("HOSTING", Hosting.SCHEDULED.value()));
  }

  /** The API function's variables: the controller's (its policy and model contract), the bucket, local timings. */
  static Map<String, String> api(
      StackSpec.Names names,
      LocalResources.Provisioned provisioned,
      String mappingUuid,
      String labelsS3Uri,
      LocalDeployment.Options options) {
    Map<String, String> env = controller(names, provisioned, mappingUuid, labelsS3Uri, options);
    env.remove("TIMER_QUEUE_URL"); // only the controller arms its timer
    env.put("BUCKET_NAME", provisioned.bucket());
    env.put("MODEL_NAME", names.model());
    env.put("RESULTS_TABLE_NAME", provisioned.resultsTable());
    // As the template: a serverless endpoint takes 4 MB.
    env.put("MAX_IMAGE_BYTES", Integer.toString(options.hosting().maxImageBytes()));
    // The local serverless endpoint's memory (DeploymentWiring), at which POST /classify's
    // invocations go to the ledger, as Classify's do.
    env.put("SERVERLESS_MEMORY_MB", FunctionVariables.CLASSIFY_ENV.get("SERVERLESS_MEMORY_MB"));
    env.put(
        "CONTROLLER_INTERVAL_SECONDS",
        Long.toString(Math.max(1, options.controllerTick().toSeconds())));
    return env;
  }

  /**
   * What the state file records of the functions' settings for the command line ({@link StateFile#settings()}): each
   * variable a deployed stack's parameters set for the controller, as the controller's environment has it, and for
   * Classify, as Classify's has it; a variable one of them lacks is recorded empty, as a parameter left empty. Taken
   * from the environments the functions were given, so that {@code offhours cost} dates the ledger in the zone the
   * controller keeps it in, whatever zone the command itself runs in. And the API's CONTROLLER_INTERVAL_SECONDS, the
   * local controller's tick, which {@code endpoint status} forecasts an upload with as GET /status does: a deployed
   * stack's is no parameter but the template's fixed value.
   */
  static Map<String, String> readByTheCommandLine(
      Map<String, String> controllerEnv,
      Map<String, String> classifyEnv,
      Map<String, String> apiEnv) {
    Map<String, String> settings = new LinkedHashMap<>();
    FunctionVariables.CONTROLLER_PARAMETERS
        .keySet()
        .forEach(variable -> settings.put(variable, controllerEnv.getOrDefault(variable, "")));
    FunctionVariables.CLASSIFY_PARAMETERS
        .keySet()
        .forEach(variable -> settings.put(variable, classifyEnv.getOrDefault(variable, "")));
    settings.put(
        "CONTROLLER_INTERVAL_SECONDS", apiEnv.getOrDefault("CONTROLLER_INTERVAL_SECONDS", ""));
    return settings;
  }

  /** The template's fixed values; null marks a variable whose value depends on the deployment. */
  private static Map<String, String> template(Map<String, String> spec) {
    Map<String, String> env = new LinkedHashMap<>();
    spec.forEach((k, v) -> {
      if (v != null) {
        env.put(k, v);
      }
    });
    return env;
  }
}
