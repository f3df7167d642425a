package offhours.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions' environment, part of {@link StackSpec}'s description of the stack: every variable each function
 * reads, with the default it assumes when the variable is absent. template.yaml sets the same variables, its
 * parameters defaulting to the same values ({@code TemplateMatchesStackSpecTest}, {@code StackDrift}), and local mode
 * starts from these maps. The controller's and the API's settings (offhours.endpoint.ControllerConfig,
 * offhours.api.ApiConfig) take their defaults from here, so each is written once; Classify's zip does not carry this
 * class, and FunctionDefaultsTest checks that offhours.classify.ClassifyConfig assumes the same.
 */
public final class FunctionVariables {

  private FunctionVariables() {}

  /** Classify's and the API's MAX_IMAGE_BYTES without the variable: the limit of the default hosting, scheduled. */
  private static final String DEFAULT_MAX_IMAGE_BYTES =
      Integer.toString(Hosting.SCHEDULED.maxImageBytes());

  /**
   * How the model is called and its answers read (offhours.inference.ModelContract): the same variables for
   * Classify and for the controller's readiness probe.
   */
  private static final Object[] MODEL_ENV = {
    "LABELS",
    null,
    "LABELS_S3_URI",
    null,
    "CONTENT_TYPE",
    "application/x-image",
    "ACCEPT",
    "application/json",
    "SCORES",
    "auto",
    // Set with Hosting scale-to-zero only: InvokeEndpoint names the component.
    "INFERENCE_COMPONENT_NAME",
    null
  };

  /**
   * The Classify function's environment: every variable it reads, with the default it assumes when the variable
   * is absent ({@code null} = no default; the stack or local mode must set it). {@code LABELS} and
   * {@code LABELS_S3_URI} are alternatives; LABELS wins if both are set, and neither is needed for a model whose
   * answers name their classes.
   */
  public static final Map<String, String> CLASSIFY_ENV = orderedMap(
      "TABLE_NAME",
      null,
      "QUEUE_URL",
      null,
      "BUCKET_NAME",
      null,
      "ENDPOINT_NAME",
      null,
      "MODEL_NAME",
      null,
      "HOSTING",
      "scheduled",
      "CONTROL_TABLE_NAME",
      null,
      "TIME_ZONE",
      "Europe/Berlin",
      "SERVERLESS_MEMORY_MB",
      "2048",
      MODEL_ENV,
      "TOP_K",
      "3",
      "MAX_IMAGE_BYTES",
      DEFAULT_MAX_IMAGE_BYTES,
      "BATCH_CONCURRENCY",
      "8",
      "DEFER_SECONDS",
      "60",
      "MAX_DEFERRALS",
      "50",
      "RETRY_SECONDS",
      "30",
      "INVOKE_TIMEOUT_SECONDS",
      "65");

  /** The controller's policy and wiring, which the API reads too; defaults as above. */
  private static final Map<String, String> CONTROLLER_SETTINGS = orderedMap(
      "ENDPOINT_NAME",
      null,
      "ENDPOINT_CONFIG_NAME",
      null,
      "HOSTING",
      "scheduled",
      // The model the inference component runs (scale-to-zero); the scheduled endpoint's config
      // names it itself.
      "MODEL_NAME",
      null,
      "STACK_ID",
      null,
      "MAPPING_UUID",
      null,
      "QUEUE_URL",
      null,
      "DLQ_URL",
      null,
      "CONTROL_TABLE_NAME",
      null,
      "TIME_ZONE",
      "Europe/Berlin",
      "WORKING_HOURS",
      "Mon-Fri 08:00-19:00",
      "HOLIDAYS",
      "",
      "WAKE_BACKLOG_MESSAGES",
      "0",
      "WAKE_BACKLOG_AGE_MINUTES",
      "0",
      "IDLE_STOP_MINUTES",
      "15",
      "MAX_WAIT_MINUTES",
      "60",
      // The trigger's MaximumBatchingWindowInSeconds: the budget plans the first batch's wait.
      "BATCHING_WINDOW_SECONDS",
      "5",
      "CREATE_TIMEOUT_MINUTES",
      "45",
      "CREATE_BACKOFF_SECONDS",
      "300",
      "DRAIN_TIMEOUT_MINUTES",
      "10",
      "INSTANCE_TYPE",
      "ml.m5.large",
      "INSTANCE_COUNT",
      "1",
      "INSTANCE_HOURLY_PRICE_USD",
      "0.115",
      // The readiness probe calls the model and reads its answer as Classify does.
      MODEL_ENV);

  /**
   * The controller settings that template.yaml sets from a stack parameter, by variable: what a deployed stack's
   * {@code DescribeStacks} parameters say the controller (and the API, which reads the same settings) runs with.
   * The command line prices a stack's ledger with them ({@code offhours cost}), and forecasts an upload as GET /status
   * does with the policy among them ({@code offhours endpoint status}: the working hours, the latency budget, the wake
   * thresholds, the batching window); TemplateWiringTest checks that the template's ControllerFunction and
   * ApiFunction set each variable from its parameter.
   */
  public static final Map<String, String> CONTROLLER_PARAMETERS = orderedMap(
      "HOSTING", "Hosting",
      "TIME_ZONE", "TimeZone",
      "WORKING_HOURS", "WorkingHours",
      "HOLIDAYS", "Holidays",
      "MAX_WAIT_MINUTES", "MaxWaitMinutes",
      "WAKE_BACKLOG_MESSAGES", "WakeBacklogMessages",
      "WAKE_BACKLOG_AGE_MINUTES", "WakeBacklogAgeMinutes",
      "BATCHING_WINDOW_SECONDS", "BatchingWindowSeconds",
      "INSTANCE_TYPE", "InstanceType",
      "INSTANCE_COUNT", "InstanceCount",
      "INSTANCE_HOURLY_PRICE_USD", "InstanceHourlyPriceUsd");

  /**
   * The Classify settings that template.yaml sets from a stack parameter and the command line reads from a deployed
   * stack's {@code DescribeStacks} parameters, by variable: the serverless endpoint's memory ({@code offhours cost
   * --compare} models its serverless option with it). TemplateWiringTest checks that the template's
   * ClassifyFunction sets each variable from its parameter.
   */
  public static final Map<String, String> CLASSIFY_PARAMETERS =
      orderedMap("SERVERLESS_MEMORY_MB", "ServerlessMemorySizeInMB");

  /**
   * How Classify calls the model and reads its answers, by variable, as template.yaml sets them from the stack's
   * parameters: the command line resolves the model's settings from a deployed stack's {@code DescribeStacks}
   * parameters with them, as Classify does from its environment (offhours.inference.ModelContract#fromEnv), and so
   * knows which results were written under other settings. TemplateWiringTest checks that the template's
   * ClassifyFunction sets each variable from its parameter. INFERENCE_COMPONENT_NAME is not among them: the settings'
   * fingerprint leaves it out.
   */
  public static final Map<String, String> MODEL_PARAMETERS = orderedMap(
      "LABELS", "Labels",
      "LABELS_S3_URI", "LabelsS3Uri",
      "CONTENT_TYPE", "ContentType",
      "ACCEPT", "Accept",
      "SCORES", "Scores");

  /** Every stack parameter the command line reads as a function's setting, by variable. */
  public static final Map<String, String> PARAMETERS_READ_BY_THE_CLI =
      concat(concat(CONTROLLER_PARAMETERS, CLASSIFY_PARAMETERS), MODEL_PARAMETERS);

  /**
   * The controller's environment: its settings, the queue of its run timer (offhours.endpoint.TimerArming), which
   * only the controller itself sends to, how long the model container's log groups keep their events
   * (offhours.endpoint.ContainerLogRetention), which only the controller sets, and with Hosting serverless the memory
   * its test invocations go to the ledger at (offhours.aws.UsageLedger).
   */
  public static final Map<String, String> CONTROLLER_ENV = concat(
      CONTROLLER_SETTINGS,
      orderedMap(
          "TIMER_QUEUE_URL", null, "LOG_RETENTION_DAYS", "30", "SERVERLESS_MEMORY_MB", "2048"));

  /**
   * The cleanup's environment: only what it needs, so that no controller setting can break a stack create, rollback
   * or delete.
   */
  public static final Map<String, String> CLEANUP_ENV = orderedMap(
      "STACK_ID", null,
      "ENDPOINT_NAME", null,
      "MAPPING_UUID", null,
      "CONTROL_TABLE_NAME", null,
      // The images queue, swept of S3's test event when the stack is created
      // (offhours.endpoint.TestEventSweep).
      "QUEUE_URL", null,
      // Deleting an endpoint does not delete its inference components: the cleanup deletes this one
      // first.
      "INFERENCE_COMPONENT_NAME", null);

  /**
   * The API function's environment: the controller's settings (it forecasts with the controller's own policy, reads its
   * tables and queues, and calls the model as the controller's probe does), plus the bucket, the model's name and
   * how often the controller looks (CONTROLLER_INTERVAL_SECONDS: its schedule tick, when it first sees a new upload;
   * the wake and drain a forecast adds are the ones the controller measured, read from its control table).
   */
  public static final Map<String, String> API_ENV = concat(
      CONTROLLER_SETTINGS,
      orderedMap(
          "BUCKET_NAME",
          null,
          "RESULTS_TABLE_NAME",
          null,
          "TOP_K",
          "3",
          "MAX_IMAGE_BYTES",
          DEFAULT_MAX_IMAGE_BYTES,
          // Hosting serverless: POST /classify's invocations go to the ledger, at this memory.
          "SERVERLESS_MEMORY_MB",
          "2048",
          "CONTROLLER_INTERVAL_SECONDS",
          "60"));

  private static Map<String, String> concat(Map<String, String> first, Map<String, String> second) {
    var map = new LinkedHashMap<String, String>(first);
    second.forEach((k, v) -> {
      if (map.containsKey(k)) {
        throw new IllegalArgumentException("duplicate variable " + k);
      }
      map.put(k, v);
    });
    return java.util.Collections.unmodifiableMap(map);
  }

  /** Name, default, name, default, ...; an {@code Object[]} among them stands for its own pairs. */
  private static Map<String, String> orderedMap(Object... keysAndValues) {
    var flat = new java.util.ArrayList<Object>();
    for (Object item : keysAndValues) {
      if (item instanceof Object[] group) {
        flat.addAll(java.util.Arrays.asList(group));
      } else {
        flat.add(item);
      }
    }
    var map = new LinkedHashMap<String, String>();
    for (int i = 0; i < flat.size(); i += 2) {
      if (map.containsKey((String) flat.get(i))) {
        throw new IllegalArgumentException("duplicate variable " + flat.get(i));
      }
      map.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
