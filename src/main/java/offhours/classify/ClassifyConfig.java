package offhours.classify;

import static offhours.aws.EnvironmentVariables.check;
import static offhours.aws.EnvironmentVariables.whole;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import offhours.aws.PayloadLimits;
import offhours.aws.UsageLedger;
import offhours.inference.ModelContract;

/**
 * The Classify function's settings, read once from its environment (names in CONTRACTS.md).
 *
 * @param bucketName the stack's images bucket: events about any other bucket get a verdict, never a download
 * @param modelName the stack's model; results record the model that answered (the invoked variant, named after
 *     its model), this name only when an answer does not say
 * @param model how to call the endpoint and read its answers
 * @param maxImageBytes the largest object sent to the endpoint: the template sets the hosting's limit
 *     (offhours.stack.Hosting#maxImageBytes); without the variable, InvokeEndpoint's
 *     ({@link PayloadLimits#INVOKE_ENDPOINT_BODY_BYTES})
 * @param deferSeconds the delay of a deferred copy; SQS allows 0 to 900
 *     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)
 * @param maxDeferrals how often a message may be handed back; after that it is retried through SQS receives, so
 *     a message the endpoint keeps failing on reaches the DLQ instead of circling forever
 * @param retrySeconds how long a message reported as a batch item failure first stays hidden; each later receive
 *     doubles it, up to {@link RetryPace#MAX_DOUBLINGS} times (RetryPace says why)
 * @param invokeTimeout the longest one InvokeEndpoint attempt may take (the model's own limit is 60 s)
 * @param usage where hosting serverless records invocation time (HOSTING, CONTROL_TABLE_NAME, TIME_ZONE,
 *     SERVERLESS_MEMORY_MB); {@link UsageLedger.Settings#NONE} for the other hostings
 */
public record ClassifyConfig(
    String tableName,
    String queueUrl,
    String bucketName,
    String endpointName,
    String modelName,
    ModelContract model,
    int topK,
    long maxImageBytes,
    int batchConcurrency,
    int deferSeconds,
    int maxDeferrals,
    int retrySeconds,
    Duration invokeTimeout,
    UsageLedger.Settings usage) {

  private static final int DEFAULT_TOP_K = 3;
  private static final int DEFAULT_BATCH_CONCURRENCY = 8;
  private static final int DEFAULT_DEFER_SECONDS = 60;
  private static final int DEFAULT_MAX_DEFERRALS = 50;
  private static final int DEFAULT_RETRY_SECONDS = 30;
  /**
   * The longest first pause of a retry: doubled {@link RetryPace#MAX_DOUBLINGS} times it stays within SQS's 12 hours
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
   */
  static final int MAX_RETRY_SECONDS = 900;
  /** SageMaker's 60 s model timeout plus the time to send a 6 MB image and read the answer. */
  private static final int DEFAULT_INVOKE_TIMEOUT_SECONDS = 65;
  /**
   * The ledger's TIME_ZONE and SERVERLESS_MEMORY_MB without the variables (hosting serverless): the zone must be the
   * controller's, whose day the ledger item is. Written here as well as in offhours.stack.FunctionVariables, which
   * Classify's zip does not carry; FunctionDefaultsTest holds the two, and this class's other defaults, together.
   */
  private static final Map<String, String> LEDGER_DEFAULTS =
      Map.of("TIME_ZONE", "Europe/Berlin", "SERVERLESS_MEMORY_MB", "2048");
  /** InvokeEndpoint attempts per record: one retry for a throttle or a dropped connection, then SQS takes over. */
  public static final int INVOKE_ATTEMPTS = 2;

  public ClassifyConfig {
    require(tableName, "TABLE_NAME");
    require(queueUrl, "QUEUE_URL");
    require(bucketName, "BUCKET_NAME");
    require(endpointName, "ENDPOINT_NAME");
    modelName = modelName == null || modelName.isBlank() ? null : modelName;
    model = model == null ? ModelContract.builtIn(java.util.List.of()) : model;
    check("TOP_K", topK, 1, Integer.MAX_VALUE);
    check("MAX_IMAGE_BYTES", maxImageBytes, 1, Long.MAX_VALUE);
    check("BATCH_CONCURRENCY", batchConcurrency, 1, Integer.MAX_VALUE);
    // SQS's DelaySeconds limit.
    check("DEFER_SECONDS", deferSeconds, 0, 900);
    check("MAX_DEFERRALS", maxDeferrals, 1, Integer.MAX_VALUE);
    check("RETRY_SECONDS", retrySeconds, 1, MAX_RETRY_SECONDS);
    check(
        "INVOKE_TIMEOUT_SECONDS",
        Objects.requireNonNull(invokeTimeout, "invokeTimeout").toSeconds(),
        1,
        600);
    usage = usage == null ? UsageLedger.Settings.NONE : usage;
  }

  /** Reads the function's environment; the model's settings as {@link ModelContract#fromEnv} reads them. */
  public static ClassifyConfig fromEnv(Map<String, String> env) {
    return new ClassifyConfig(
        env.get("TABLE_NAME"),
        env.get("QUEUE_URL"),
        env.get("BUCKET_NAME"),
        env.get("ENDPOINT_NAME"),
        env.get("MODEL_NAME"),
        ModelContract.fromEnv(env),
        whole(env, "TOP_K", DEFAULT_TOP_K, 1, Integer.MAX_VALUE),
        whole(env, "MAX_IMAGE_BYTES", PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES, 1, Long.MAX_VALUE),
        whole(env, "BATCH_CONCURRENCY", DEFAULT_BATCH_CONCURRENCY, 1, Integer.MAX_VALUE),
        whole(env, "DEFER_SECONDS", DEFAULT_DEFER_SECONDS, 0, 900),
        whole(env, "MAX_DEFERRALS", DEFAULT_MAX_DEFERRALS, 1, Integer.MAX_VALUE),
        whole(env, "RETRY_SECONDS", DEFAULT_RETRY_SECONDS, 1, MAX_RETRY_SECONDS),
        Duration.ofSeconds(
            whole(env, "INVOKE_TIMEOUT_SECONDS", DEFAULT_INVOKE_TIMEOUT_SECONDS, 1, 600)),
        UsageLedger.Settings.fromEnv(env, LEDGER_DEFAULTS));
  }

  /** The same settings with the model's contract resolved (labels read from S3 once at init). */
  ClassifyConfig withModel(ModelContract resolved) {
    return new ClassifyConfig(
        tableName,
        queueUrl,
        bucketName,
        endpointName,
        modelName,
        resolved,
        topK,
        maxImageBytes,
        batchConcurrency,
        deferSeconds,
        maxDeferrals,
        retrySeconds,
        invokeTimeout,
        usage);
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
  }
}
