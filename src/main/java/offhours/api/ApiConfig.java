package offhours.api;

import static offhours.aws.EnvironmentVariables.whole;

import java.time.Duration;
import java.util.Map;
import offhours.aws.EnvironmentVariables;
import offhours.aws.PayloadLimits;
import offhours.aws.UsageLedger;
import offhours.endpoint.ControllerConfig;
import offhours.stack.FunctionVariables;

/**
 * The API function's settings, read once from its environment ({@code FunctionVariables.API_ENV}): the controller's own
 * settings (its schedule and wake-up policy forecast when a waiting upload is classified, its table and queue names
 * are what the API reads, and its model contract is how POST /classify calls the model), and the bucket.
 *
 * @param maxImageBytes the largest image POST /classify sends to the endpoint: the endpoint's limit (MAX_IMAGE_BYTES,
 *     offhours.stack.Hosting#maxImageBytes; without it the default hosting's, scheduled). POST /classify's check of
 *     it fires only for a limit below about 4.7 MB: no larger body reaches the function (see
 *     {@link #LAMBDA_PAYLOAD_BYTES})
 * @param controllerInterval how often the controller runs (its EventBridge schedule): an upload waits at most this
 *     long before the controller sees it
 * @param usage where POST /classify's invocations of a serverless endpoint are recorded (HOSTING, CONTROL_TABLE_NAME,
 *     TIME_ZONE, SERVERLESS_MEMORY_MB); {@link UsageLedger.Settings#NONE} for the other hostings
 * @param local the API serves the local stack, whose functions log to its own log (GET /status's handedBack points
 *     there): local mode says so, a function's environment never does
 */
public record ApiConfig(
    ControllerConfig controller,
    String bucket,
    String resultsTable,
    String modelName,
    int topK,
    long maxImageBytes,
    Duration controllerInterval,
    UsageLedger.Settings usage,
    boolean local) {

  /**
   * The largest event the function is invoked with, Lambda's ({@link PayloadLimits#LAMBDA_INVOKE_PAYLOAD_BYTES}).
   * API Gateway base64-encodes a binary body into the event (4 characters per 3 bytes), so a body over about 4.7 MB
   * makes an event Lambda refuses before the function runs: the client gets API Gateway's own error, never an answer
   * of this function.
   */
  public static final long LAMBDA_PAYLOAD_BYTES = PayloadLimits.LAMBDA_INVOKE_PAYLOAD_BYTES;

  public ApiConfig {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException(
          "BUCKET_NAME is not set; the stack passes the images bucket to the API");
    }
    if (resultsTable == null || resultsTable.isBlank()) {
      throw new IllegalArgumentException(
          "RESULTS_TABLE_NAME is not set; the stack passes it to the API");
    }
    EnvironmentVariables.check("TOP_K", topK, 1, 1000);
    usage = usage == null ? UsageLedger.Settings.NONE : usage;
  }

  /** Each variable's default, written once there (the API's zip carries offhours.stack). */
  private static final Map<String, String> DEFAULTS = FunctionVariables.API_ENV;

  /** The API function's settings on AWS. */
  public static ApiConfig fromEnv(Map<String, String> env) {
    return fromEnv(env, false);
  }

  /** As {@link #fromEnv(Map)}, and whether the API serves the local stack (local mode's). */
  public static ApiConfig fromEnv(Map<String, String> env, boolean local) {
    ControllerConfig controller = ControllerConfig.policyFromEnvironment(env);
    long endpointLimit = whole(env, DEFAULTS, "MAX_IMAGE_BYTES", 1, Long.MAX_VALUE);
    return new ApiConfig(
        controller,
        env.get("BUCKET_NAME"),
        env.getOrDefault("RESULTS_TABLE_NAME", "").strip(),
        env.get("MODEL_NAME"),
        whole(env, DEFAULTS, "TOP_K", 1, 1000),
        endpointLimit,
        controllerInterval(env),
        UsageLedger.Settings.fromEnv(env, DEFAULTS),
        local);
  }

  /**
   * How often the controller runs, CONTROLLER_INTERVAL_SECONDS: the API function's, and as the command line knows a
   * stack's (the local stack's state file records it; a deployed stack's template fixes it).
   */
  public static Duration controllerInterval(Map<String, String> env) {
    return Duration.ofSeconds(whole(env, DEFAULTS, "CONTROLLER_INTERVAL_SECONDS", 1, 24 * 3600));
  }
}
