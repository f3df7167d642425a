package offhours.classify;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Classify function's settings, read once from its environment (names in CONTRACTS.md).
 *
 * @param labels class names in the model's output order; empty when they come from {@code labelsS3Uri}
 * @param labelsS3Uri "s3://bucket/key" of a text file with one label per line, or null
 * @param maxImageBytes the largest object sent to the endpoint (InvokeEndpoint accepts ~6 MB:
 *     https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html)
 * @param deferSeconds the delay of a deferred copy; SQS allows 0 to 900
 *     (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)
 */
public record ClassifyConfig(
    String tableName,
    String queueUrl,
    String endpointName,
    String modelName,
    List<String> labels,
    String labelsS3Uri,
    int topK,
    long maxImageBytes,
    int batchConcurrency,
    int deferSeconds) {

  public static final int DEFAULT_TOP_K = 3;
  public static final long DEFAULT_MAX_IMAGE_BYTES = 6_291_456L;
  public static final int DEFAULT_BATCH_CONCURRENCY = 8;
  public static final int DEFAULT_DEFER_SECONDS = 60;

  public ClassifyConfig {
    require(tableName, "TABLE_NAME");
    require(queueUrl, "QUEUE_URL");
    require(endpointName, "ENDPOINT_NAME");
    modelName = modelName == null || modelName.isBlank() ? null : modelName;
    labels = labels == null ? List.of() : List.copyOf(labels);
    labelsS3Uri = labelsS3Uri == null || labelsS3Uri.isBlank() ? null : labelsS3Uri.strip();
    if (labels.isEmpty() && labelsS3Uri == null) {
      throw new IllegalArgumentException(
          "set LABELS (comma-separated class names in the model's output order) or LABELS_S3_URI (s3://bucket/key)");
    }
    if (labels.isEmpty() && !labelsS3Uri.matches("s3://[^/]+/.+")) {
      throw new IllegalArgumentException("LABELS_S3_URI must look like s3://bucket/key, got '" + labelsS3Uri + "'");
    }
    if (labels.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("LABELS has an empty class name: " + labels);
    }
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
  }

  /** Reads the function's environment; LABELS wins over LABELS_S3_URI when both are set. */
  public static ClassifyConfig fromEnv(Map<String, String> env) {
    List<String> labels = parseLabels(env.get("LABELS"));
    return new ClassifyConfig(
        env.get("TABLE_NAME"),
        env.get("QUEUE_URL"),
        env.get("ENDPOINT_NAME"),
        env.get("MODEL_NAME"),
        labels,
        labels.isEmpty() ? env.get("LABELS_S3_URI") : null,
        positive(env, "TOP_K", DEFAULT_TOP_K),
        positiveLong(env, "MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES),
        positive(env, "BATCH_CONCURRENCY", DEFAULT_BATCH_CONCURRENCY),
        integer(env, "DEFER_SECONDS", DEFAULT_DEFER_SECONDS, "an integer between 0 and 900"));
  }

  /** The same settings with the labels resolved (used once at init when they came from S3). */
  ClassifyConfig withLabels(List<String> resolved) {
    return new ClassifyConfig(tableName, queueUrl, endpointName, modelName, resolved, labelsS3Uri, topK,
        maxImageBytes, batchConcurrency, deferSeconds);
  }

  /** LABELS: comma-separated; blanks around names are ignored. */
  static List<String> parseLabels(String text) {
    return split(text, ",");
  }

  /** A labels file: one label per line (LF or CRLF); blank lines are ignored. */
  static List<String> parseLabelLines(String text) {
    return split(text, "\r?\n");
  }

  private static List<String> split(String text, String separator) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
