package offhours.classify;

import java.time.Duration;
import java.util.Map;
import offhours.inference.ModelContract;

/**
 * The Classify function's settings, read once from its environment (names in CONTRACTS.md).
 *
 * @param bucketName the stack's images bucket: events about any other bucket get a verdict, never a download
 * @param modelName the stack's model; results record the model that answered (the invoked variant, named after
 *     its model), this name only when an answer does not say
 * @param model how to call the endpoint and read its answers
 * @param maxImageBytes the largest object sent to the endpoint (InvokeEndpoint accepts ~6 MB:
 *     https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html)
 * @param deferSeconds the delay of a deferred copy; SQS allows 0 to 900
 *     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)
 * @param maxDeferrals how often a message may be handed back; after that it is retried through SQS receives, so
 *     a message the endpoint keeps failing on reaches the DLQ instead of circling forever
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
    Duration invokeTimeout,
    UsageLedger.Settings usage) {

  public static final int DEFAULT_TOP_K = 3;
  public static final long DEFAULT_MAX_IMAGE_BYTES = 6_291_456L;
  public static final int DEFAULT_BATCH_CONCURRENCY = 8;
  public static final int DEFAULT_DEFER_SECONDS = 60;
  public static final int DEFAULT_MAX_DEFERRALS = 50;
  /** SageMaker's 60 s model timeout plus the time to send a 6 MB image and read the answer. */
  public static final int DEFAULT_INVOKE_TIMEOUT_SECONDS = 65;
  /** InvokeEndpoint attempts per record: one retry for a throttle or a dropped connection, then SQS takes over. */
  public static final int INVOKE_ATTEMPTS = 2;

  public ClassifyConfig {
    require(tableName, "TABLE_NAME");
    require(queueUrl, "QUEUE_URL");
    require(bucketName, "BUCKET_NAME");
    require(endpointName, "ENDPOINT_NAME");
    modelName = modelName == null || modelName.isBlank() ? null : modelName;
    model = model == null ? ModelContract.builtIn(java.util.List.of()) : model;
    if (topK < 1) {
      throw new IllegalArgumentException("TOP_K must be a positive integer, got " + topK);
    }
    if (maxImageBytes < 1) {
      throw new IllegalArgumentException("MAX_IMAGE_BYTES must be a positive integer, got " + maxImageBytes);
    }
    if (batchConcurrency < 1) {
      throw new IllegalArgumentException("BATCH_CONCURRENCY must be a positive integer, got " + batchConcurrency);
    }
    if (deferSeconds < 0 || deferSeconds > 900) {
      throw new IllegalArgumentException(
          "DEFER_SECONDS must be between 0 and 900 (the SQS DelaySeconds limit), got " + deferSeconds);
    }
    if (maxDeferrals < 1) {
      throw new IllegalArgumentException("MAX_DEFERRALS must be a positive integer, got " + maxDeferrals);
    }
    usage = usage == null ? UsageLedger.Settings.NONE : usage;
    if (invokeTimeout == null || invokeTimeout.toSeconds() < 1 || invokeTimeout.toSeconds() > 600) {
      throw new IllegalArgumentException("INVOKE_TIMEOUT_SECONDS must be between 1 and 600, got "
          + (invokeTimeout == null ? null : invokeTimeout.toSeconds()));
    }
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
        positive(env, "TOP_K", DEFAULT_TOP_K),
        positiveLong(env, "MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES),
        positive(env, "BATCH_CONCURRENCY", DEFAULT_BATCH_CONCURRENCY),
        integer(env, "DEFER_SECONDS", DEFAULT_DEFER_SECONDS, "an integer between 0 and 900"),
        positive(env, "MAX_DEFERRALS", DEFAULT_MAX_DEFERRALS),
        Duration.ofSeconds(integer(env, "INVOKE_TIMEOUT_SECONDS", DEFAULT_INVOKE_TIMEOUT_SECONDS,
            "an integer between 1 and 600")),
        UsageLedger.Settings.fromEnv(env));
  }

  /** The same settings with the model's contract resolved (labels read from S3 once at init). */
  ClassifyConfig withModel(ModelContract resolved) {
    return new ClassifyConfig(tableName, queueUrl, bucketName, endpointName, modelName, resolved, topK, maxImageBytes,
        batchConcurrency, deferSeconds, maxDeferrals, invokeTimeout, usage);
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
  }

  private static int positive(Map<String, String> env, String name, int fallback) {
    return integer(env, name, fallback, "a positive integer");
  }

  private static int integer(Map<String, String> env, String name, int fallback, String expected) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be " + expected + ", got '" + raw + "'");
    }
  }

  private static long positiveLong(Map<String, String> env, String name, long fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive integer, got '" + raw + "'");
    }
  }
}
