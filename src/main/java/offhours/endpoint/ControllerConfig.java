package offhours.endpoint;

import static offhours.aws.EnvironmentVariables.defaultOf;
import static offhours.aws.EnvironmentVariables.positiveDecimal;
import static offhours.aws.EnvironmentVariables.text;
import static offhours.aws.EnvironmentVariables.whole;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import offhours.aws.UsageLedger;
import offhours.inference.ModelContract;
import offhours.stack.FunctionVariables;
import offhours.stack.Hosting;
import offhours.units.Decimals;
import offhours.units.IanaZones;
import offhours.units.Shown;
import offhours.units.WholeNumbers;

/**
 * The controller's settings, read once from the environment at the edge. A variable that is unset takes its default
 * from {@link FunctionVariables#CONTROLLER_ENV}, the one place each default is written, which the template's parameter
 * defaults match (TemplateMatchesStackSpecTest, FunctionDefaultsTest); a blank one too, except WORKING_HOURS and
 * HOLIDAYS, where empty means none, and LOG_RETENTION_DAYS, where it is refused.
 *
 * @param stackId the stack's id (ARN): the controller tags the endpoints it creates with it and never feeds one
 *     without it
 * @param dlqUrl may be empty (no DLQ count)
 * @param idleStop {@link Duration#ZERO}: never idle-stop inside working hours
 * @param wakeBacklogMessages 0: off
 * @param wakeBacklogAge {@link Duration#ZERO}: off
 * @param createBackoff the wait before re-creating after the first failed creation (CREATE_BACKOFF_SECONDS); it
 *     doubles with each further failure up to 12 times this. Local mode and tests shorten it.
 * @param model how Classify calls the model and reads its answers (LABELS, LABELS_S3_URI, CONTENT_TYPE, ACCEPT,
 *     SCORES): the readiness probe checks the endpoint's answer against the same settings; with {@code hosting}
 *     scale-to-zero it names the inference component (INFERENCE_COMPONENT_NAME) the probe invokes
 * @param hosting what the controller switches (HOSTING)
 * @param modelName the model the inference component runs (MODEL_NAME); may be null unless scale-to-zero
 * @param maxWait MAX_WAIT_MINUTES: the latency budget {@link WakePolicy} schedules by
 * @param batchingWindow BATCHING_WINDOW_SECONDS (the stack's BatchingWindowSeconds): how long the trigger
 *     gathers a batch before Classify sees it, which the budget plans for
 * @param timerQueueUrl TIMER_QUEUE_URL: the queue the controller sends its delayed "run now" to ({@link TimerArming});
 *     empty: no timer (a stack from before the timer queue), the minute tick alone
 * @param logRetentionDays LOG_RETENTION_DAYS (the stack's LogRetentionDays): how long CloudWatch Logs
 *     keeps the model container's logs ({@link ContainerLogRetention}); 0 in the API's settings, which never set it
 */
public record ControllerConfig(
    String endpointName,
    String endpointConfigName,
    String stackId,
    String mappingUuid,
    String queueUrl,
    String dlqUrl,
    String controlTableName,
    Schedule schedule,
    long wakeBacklogMessages,
    Duration wakeBacklogAge,
    Duration idleStop,
    Duration createTimeout,
    Duration createBackoff,
    Duration drainTimeout,
    String instanceType,
    int instanceCount,
    double instanceHourlyPriceUsd,
    ModelContract model,
    Hosting hosting,
    String modelName,
    WaitBudget maxWait,
    Duration batchingWindow,
    String timerQueueUrl,
    int logRetentionDays,
    UsageLedger.Settings probeLedger) {
  /** Each variable's default: the controller's zip carries offhours.stack, as the API's does. */
  private static final Map<String, String> DEFAULTS = FunctionVariables.CONTROLLER_ENV;

  /** The longest IDLE_STOP_MINUTES: a week. */
  public static final int MAX_IDLE_STOP_MINUTES = 7 * 24 * 60;

  /**
   * The retention periods CloudWatch Logs accepts, in days; PutRetentionPolicy refuses any other
   * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). The stack's
   * LogRetentionDays allows the same values (ParameterConstraintsTest).
   */
  private static final List<Integer> LOG_RETENTION_DAYS = List.of(
      1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
      3288, 3653);

  public ZoneId zone() {
    return schedule.zone();
  }

  /** Reads the variables of CONTRACTS.md; every message names the variable, the value and what is expected. */
  public static ControllerConfig fromEnvironment(Map<String, String> env) {
    return read(
        env,
        env.getOrDefault("TIMER_QUEUE_URL", "").strip(),
        logRetentionDays(env),
        UsageLedger.Settings.fromEnv(env, DEFAULTS));
  }

  /**
   * The controller's policy settings without the controller function's own timer queue: what the API forecasts with
   * (it never runs the controller, so it has no timer to arm).
   */
  public static ControllerConfig policyFromEnvironment(Map<String, String> env) {
    return read(env, "", 0, UsageLedger.Settings.NONE);
  }

  private static ControllerConfig read(
      Map<String, String> env,
      String timerQueueUrl,
      int logRetentionDays,
      UsageLedger.Settings probeLedger) {
    ZoneId zone = IanaZones.parse("TIME_ZONE", text(env, DEFAULTS, "TIME_ZONE"));
    Hosting hosting = Hosting.parse(text(env, DEFAULTS, "HOSTING"));
    ModelContract model = ModelContract.fromEnv(env);
    requireComponentFits(hosting, model, env);
    // Only an unset WORKING_HOURS takes the default: empty is a setting of its own (never open).
    Schedule schedule = Schedule.parse(
        env.getOrDefault("WORKING_HOURS", defaultOf(DEFAULTS, "WORKING_HOURS")),
        zone,
        Schedule.parseHolidays(env.getOrDefault("HOLIDAYS", defaultOf(DEFAULTS, "HOLIDAYS"))));
    return new ControllerConfig(
        required(env, "ENDPOINT_NAME"),
        required(env, "ENDPOINT_CONFIG_NAME"),
        required(env, "STACK_ID"),
        required(env, "MAPPING_UUID"),
        required(env, "QUEUE_URL"),
        env.getOrDefault("DLQ_URL", "").strip(),
        required(env, "CONTROL_TABLE_NAME"),
        schedule,
        whole(env, DEFAULTS, "WAKE_BACKLOG_MESSAGES", 0, Long.MAX_VALUE),
        Duration.ofMinutes(whole(env, DEFAULTS, "WAKE_BACKLOG_AGE_MINUTES", 0, 14 * 24 * 60)),
        Duration.ofMinutes(whole(env, DEFAULTS, "IDLE_STOP_MINUTES", 0, MAX_IDLE_STOP_MINUTES)),
        Duration.ofMinutes(whole(env, DEFAULTS, "CREATE_TIMEOUT_MINUTES", 1, 24 * 60)),
        Duration.ofSeconds(whole(env, DEFAULTS, "CREATE_BACKOFF_SECONDS", 1, 60 * 60)),
        Duration.ofMinutes(whole(env, DEFAULTS, "DRAIN_TIMEOUT_MINUTES", 0, 12 * 60)),
        text(env, DEFAULTS, "INSTANCE_TYPE"),
        whole(env, DEFAULTS, "INSTANCE_COUNT", 1, 1000),
        positiveDecimal(
            env,
            "INSTANCE_HOURLY_PRICE_USD",
            Decimals.parse(defaultOf(DEFAULTS, "INSTANCE_HOURLY_PRICE_USD")),
            LedgerPrices.MAX_USD),
        model,
        hosting,
        env.getOrDefault("MODEL_NAME", "").isBlank()
            ? null
            : env.get("MODEL_NAME").strip(),
        WaitBudget.parse("MAX_WAIT_MINUTES", text(env, DEFAULTS, "MAX_WAIT_MINUTES")),
        Duration.ofSeconds(whole(env, DEFAULTS, "BATCHING_WINDOW_SECONDS", 0, 300)),
        timerQueueUrl,
        logRetentionDays,
        probeLedger);
  }

  private static int logRetentionDays(Map<String, String> env) {
    // Blank is refused, not read as the default: CloudWatch Logs has no such retention.
    String raw = env.getOrDefault("LOG_RETENTION_DAYS", defaultOf(DEFAULTS, "LOG_RETENTION_DAYS"))
        .strip();
    try {
      long days = WholeNumbers.parse(raw);
      if (days <= Integer.MAX_VALUE && LOG_RETENTION_DAYS.contains((int) days)) {
        return (int) days;
      }
    } catch (NumberFormatException e) {
      // refused below, with the values CloudWatch Logs accepts
    }
    throw new IllegalArgumentException("LOG_RETENTION_DAYS '" + Shown.value(raw)
        + "' is not a retention CloudWatch Logs accepts; use one of " + LOG_RETENTION_DAYS
        + " (days)");
  }

  /** HOSTING and INFERENCE_COMPONENT_NAME agree: a component name with scale-to-zero, none otherwise. */
  private static void requireComponentFits(
      Hosting hosting, ModelContract model, Map<String, String> env) {
    boolean named = model.inferenceComponentName() != null;
    if (hosting == Hosting.SCALE_TO_ZERO && !named) {
      throw new IllegalArgumentException(
          "INFERENCE_COMPONENT_NAME is not set; HOSTING scale-to-zero invokes an"
              + " inference component, and the stack names it");
    }
    if (hosting != Hosting.SCALE_TO_ZERO && named) {
      throw new IllegalArgumentException(
          "INFERENCE_COMPONENT_NAME is " + model.inferenceComponentName() + " but HOSTING is "
              + hosting.value() + "; only scale-to-zero hosts an inference component");
    }
    if (hosting == Hosting.SCALE_TO_ZERO && env.getOrDefault("MODEL_NAME", "").isBlank()) {
      throw new IllegalArgumentException(
          "MODEL_NAME is not set; HOSTING scale-to-zero deploys that model as an"
              + " inference component, and the stack passes it to the controller function");
    }
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name + " is not set; the stack passes it to the controller function");
    }
    return value.strip();
  }
}
