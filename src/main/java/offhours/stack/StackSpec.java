package offhours.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import offhours.results.ResultsTable;

/**
 * The one description of offhours' resources that both {@code template.yaml} and local mode follow: names, the S3
 * notification, the queue's settings, the tables' key schemas ({@link TableSchema}), the trigger's defaults, the
 * controller's metric names ({@link ControllerMetrics}), and (in {@link FunctionVariables}) the functions'
 * environment. {@code TemplateMatchesStackSpecTest} compares template.yaml with both classes, so the two cannot drift
 * apart silently.
 */
public final class StackSpec {

  private StackSpec() {}

  /** The Classify function's timeout (template: ClassifyFunction Timeout). */
  public static final int CLASSIFY_TIMEOUT_SECONDS = 120;

  /**
   * How long one InvokeEndpoint may take: SageMaker's model timeout
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html).
   */
  private static final int INVOKE_TIMEOUT_SECONDS = 60;

  /**
   * The largest SQS batch whose records fit in one Classify invocation when each takes the longest an endpoint may
   * take: {@code batchConcurrency} records at a time, in as many rounds of {@link #INVOKE_TIMEOUT_SECONDS} as the
   * function's timeout holds (template.yaml's Rules enforce it for BatchSize and BatchConcurrency).
   */
  public static int maxBatchSize(int batchConcurrency) {
    if (batchConcurrency < 1) {
      throw new IllegalArgumentException(
          "batch concurrency must be at least 1, got " + batchConcurrency);
    }
    return batchConcurrency * (CLASSIFY_TIMEOUT_SECONDS / INVOKE_TIMEOUT_SECONDS);
  }

  /** Resource names used by local mode. On AWS the stack names them and passes them through env and outputs. */
  public record Names(
      String bucket,
      String queue,
      String deadLetterQueue,
      String resultsTable,
      String controlTable,
      String model,
      String endpointConfig,
      String endpoint,
      String classifyFunction) {

    public Names {
      List.of(
              bucket,
              queue,
              deadLetterQueue,
              resultsTable,
              controlTable,
              model,
              endpointConfig,
              endpoint,
              classifyFunction)
          .forEach(n -> {
            if (n == null || n.isBlank()) {
              throw new IllegalArgumentException("every resource name must be non-blank, got " + n);
            }
          });
    }

    /** The controller's timer queue, named after the images queue. */
    public String timerQueue() {
      return queue + "-timer";
    }

    /**
     * These names with model and endpoint config of the local stack's {@code revision}th model (2 and on, a model
     * update's): as a stack update replaces both on AWS under new names, the variant, named after the model, tells
     * each answer's model.
     */
    public Names withModelRevision(int revision) {
      if (revision < 2) {
        throw new IllegalArgumentException(
            "a model update's revision is 2 or more, got " + revision);
      }
      Names first = local();
      return new Names(
          bucket,
          queue,
          deadLetterQueue,
          resultsTable,
          controlTable,
          first.model() + "-" + revision,
          first.endpointConfig() + "-" + revision,
          endpoint,
          classifyFunction);
    }

    /** The names local mode uses (fixed by the contracts between the pieces). */
    public static Names local() {
      return new Names(
          "offhours-images",
          "offhours-queue",
          "offhours-dlq",
          "offhours-results",
          "offhours-control",
          "offhours-model",
          "offhours-endpoint-config",
          "offhours-endpoint",
          "offhours-classify");
    }
  }

  /**
   * The bucket's notification: one queue configuration per suffix, because S3 accepts a single suffix rule per
   * filter ("Cannot specify more than one suffix rule in a filter"). Suffixes match case-sensitively, so every case
   * variant of each extension is listed: IMG_1.Jpg and b.JPeg are images too. S3 refuses overlapping suffixes for the
   * same event ("Overlapping prefixes and suffixes are not supported",
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html); no variant is a suffix of another.
   * Rule names are lower-case ({@code suffix}): S3 accepts either, moto answers 500 to {@code Suffix}.
   */
  public record Notification(String event, String filterRuleName, List<String> suffixes) {
    public Notification {
      suffixes = List.copyOf(suffixes);
      if (suffixes.isEmpty()) {
        throw new IllegalArgumentException("the notification needs at least one suffix");
      }
      for (int i = 0; i < suffixes.size(); i++) {
        for (int j = 0; j < suffixes.size(); j++) {
          if (i != j && suffixes.get(j).endsWith(suffixes.get(i))) {
            throw new IllegalArgumentException(
                "S3 refuses overlapping suffixes: " + suffixes.get(i) + " and " + suffixes.get(j));
          }
        }
      }
    }

    /**
     * Whether S3 sends the queue an event for an object with this key, and so whether the upload will ever get a
     * result: the one predicate that {@code offhours upload} and the deployed notification share.
     */
    public boolean matches(String key) {
      return suffixes.stream().anyMatch(key::endsWith);
    }
  }

  /**
   * S3's longest key, in bytes of its UTF-8 form
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html): an upload refuses a longer one before it
   * sends anything, and the API and the page refuse to look one up.
   */
  public static final int MAX_KEY_BYTES = 1024;

  /** The extensions the pipeline classifies, as users write them in lower case. */
  public static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

  /**
   * Why a key outside {@link #NOTIFICATION} gets no result, as the API's GET /results and the page's upload say it
   * (the CLI's upload says it in its own sentence): "offhours classifies keys ending in .jpg, .jpeg, .png (any case)".
   */
  public static final String CLASSIFIED_KEYS =
      "offhours classifies keys ending in " + String.join(", ", IMAGE_EXTENSIONS) + " (any case)";

  /** Every case variant of {@link #IMAGE_EXTENSIONS} (8 + 16 + 8 = 32 queue configurations), lower case first. */
  public static final Notification NOTIFICATION =
      new Notification("s3:ObjectCreated:*", "suffix", caseVariants(IMAGE_EXTENSIONS));

  /** ".jpg" -> .jpg, .jpG, .jPg, .jPG, .Jpg, .JpG, .JPg, .JPG: each letter lower or upper case. */
  private static List<String> caseVariants(List<String> extensions) {
    List<String> variants = new ArrayList<>();
    for (String extension : extensions) {
      int letters = extension.length() - 1;
      for (int mask = 0; mask < 1 << letters; mask++) {
        StringBuilder variant = new StringBuilder(".");
        for (int i = 0; i < letters; i++) {
          char c = extension.charAt(i + 1);
          variant.append((mask & (1 << (letters - 1 - i))) != 0 ? Character.toUpperCase(c) : c);
        }
        variants.add(variant.toString());
      }
    }
    return List.copyOf(variants);
  }

  /** Lambda's longest SQS batching window (MaximumBatchingWindowInSeconds); BatchingWindowSeconds allows it too. */
  public static final int MAX_BATCHING_WINDOW_SECONDS = 300;

  private static int requireBatchingWindow(int seconds) {
    if (seconds < 0 || seconds > MAX_BATCHING_WINDOW_SECONDS) {
      throw new IllegalArgumentException(
          "the batching window must be 0.." + MAX_BATCHING_WINDOW_SECONDS + " s, got " + seconds);
    }
    return seconds;
  }

  /**
   * The visibility timeout of a queue an SQS trigger reads: six times the function's timeout, so that Lambda can
   * retry a batch it was throttled on (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html), plus
   * the longest batching window the trigger may have. Lambda's poller receives a batch's first messages when it
   * starts gathering it, so their visibility runs through the window before the function starts. AWS's Lambda guide
   * recommended exactly that sum for a trigger with a window (its archived sources,
   * https://github.com/awsdocs/aws-lambda-developer-guide, doc_source/with-sqs.md, "Batch window").
   */
  static int visibilityTimeoutFor(int functionTimeoutSeconds, int longestBatchingWindowSeconds) {
    if (functionTimeoutSeconds < 1 || functionTimeoutSeconds > 900) {
      throw new IllegalArgumentException(
          "a Lambda timeout is 1..900 s, got " + functionTimeoutSeconds);
    }
    return 6 * functionTimeoutSeconds + requireBatchingWindow(longestBatchingWindowSeconds);
  }

  /** The queue and its dead-letter queue; the visibility timeout is at most 12 hours (SQS's limit). */
  public record Queue(int retentionSeconds, int visibilityTimeoutSeconds, int maxReceiveCount) {

    static final int MAX_RETENTION_SECONDS = 1_209_600;
    private static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

    /**
     * The fewest receives before the DLQ that leave every path to a verdict open: Classify rejects an image the model
     * crashes on at its 3rd receive (its MODEL_CRASH_RECEIVES; a test ties the two), and with fewer such an image
     * would reach the DLQ without a result.
     */
    public static final int MIN_RECEIVE_COUNT = 3;

    public Queue {
      if (retentionSeconds < 60 || retentionSeconds > MAX_RETENTION_SECONDS) {
        throw new IllegalArgumentException(
            "SQS retention must be 60.." + MAX_RETENTION_SECONDS + " s, got " + retentionSeconds);
      }
      if (visibilityTimeoutSeconds < 0
          || visibilityTimeoutSeconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
        throw new IllegalArgumentException("SQS visibility timeout must be 0.."
            + MAX_VISIBILITY_TIMEOUT_SECONDS + " s, got " + visibilityTimeoutSeconds);
      }
      if (maxReceiveCount < MIN_RECEIVE_COUNT || maxReceiveCount > 1000) {
        throw new IllegalArgumentException("maxReceiveCount must be " + MIN_RECEIVE_COUNT
            + "..1000 (an image the model crashes on gets its verdict on receive "
            + MIN_RECEIVE_COUNT
            + "), got " + maxReceiveCount);
      }
    }

    /** 14 days' retention and the visibility {@link #visibilityTimeoutFor} gives for the trigger's function. */
    public static Queue forTrigger(
        int functionTimeoutSeconds, int longestBatchingWindowSeconds, int maxReceiveCount) {
      return new Queue(
          MAX_RETENTION_SECONDS,
          visibilityTimeoutFor(functionTimeoutSeconds, longestBatchingWindowSeconds),
          maxReceiveCount);
    }

    /** The SQS RedrivePolicy attribute value pointing at {@code deadLetterQueueArn}. */
    public String redrivePolicy(String deadLetterQueueArn) {
      Objects.requireNonNull(deadLetterQueueArn, "deadLetterQueueArn");
      return "{\"deadLetterTargetArn\":\"" + deadLetterQueueArn + "\",\"maxReceiveCount\":\""
          + maxReceiveCount + "\"}";
    }
  }

  /** Both queues keep messages 14 days (long weekends); the DLQ has no redrive of its own. */
  public static final Queue QUEUE =
      Queue.forTrigger(CLASSIFY_TIMEOUT_SECONDS, MAX_BATCHING_WINDOW_SECONDS, 5);

  /** The controller function's timeout (template: ControllerFunction Timeout): a run acts once and returns. */
  public static final int CONTROLLER_TIMEOUT_SECONDS = 60;

  /**
   * The API function's timeout (template: ApiFunction Timeout): inside API Gateway's 30 s integration timeout
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html), and with the whole of it
   * POST /classify's InvokeEndpoint keeps its whole share (ClassifyRoute.INVOKE_TIMEOUT) and the image can still be
   * stored after it (offhours.api's RequestDeadline and ClassifyRoute; ClassifyRouteTest runs a request with this much
   * time).
   */
  public static final int API_TIMEOUT_SECONDS = 29;

  /**
   * The controller's run-timer queue (template: ControllerTimerQueue) and its trigger: an hour's retention outlives
   * SQS's longest delay (15 minutes) and a few retries; no batching window, since a timer message asks for a run now;
   * the visibility timeout is {@link #visibilityTimeoutFor} the controller's timeout and that window. No dead-letter
   * queue: a lost timer message only costs precision, the minute tick still runs.
   */
  public record TimerQueue(int retentionSeconds, int batchingWindowSeconds, int batchSize) {

    public int visibilityTimeoutSeconds() {
      return visibilityTimeoutFor(CONTROLLER_TIMEOUT_SECONDS, batchingWindowSeconds);
    }
  }

  public static final TimerQueue TIMER_QUEUE = new TimerQueue(3600, 0, 10);

  /**
   * Results: one item per object version. {@code byLabel} answers "images labelled X, newest first"; {@code byStatus}
   * answers "every result, newest first" (one query per status, merged; see {@code results.NewestFirst}).
   */
  public static final TableSchema RESULTS_TABLE = new TableSchema(
      "pk",
      "sk",
      List.of(
          new TableSchema.Index(ResultsTable.LABEL_INDEX, "topLabel", "classifiedAt"),
          new TableSchema.Index(ResultsTable.STATUS_INDEX, "status", "classifiedAt")));

  /** Controller state and the savings ledger. */
  public static final TableSchema CONTROL_TABLE = new TableSchema("pk", "sk", List.of());

  /**
   * The Classify function's SQS trigger. MaximumConcurrency is at least 2 (Lambda's minimum) and caps the
   * pressure on the endpoint.
   */
  public record Trigger(int batchSize, int maximumBatchingWindowSeconds, int maximumConcurrency) {
    public Trigger {
      if (batchSize < 1 || batchSize > 10_000) {
        throw new IllegalArgumentException("batch size must be 1..10000, got " + batchSize);
      }
      if (batchSize > 10 && maximumBatchingWindowSeconds < 1) {
        throw new IllegalArgumentException(
            "a batch size over 10 needs a batching window of at least 1 s, got "
                + maximumBatchingWindowSeconds);
      }
      requireBatchingWindow(maximumBatchingWindowSeconds);
      if (maximumConcurrency < 2 || maximumConcurrency > 1000) {
        throw new IllegalArgumentException(
            "maximum concurrency must be 2..1000, got " + maximumConcurrency);
      }
    }
  }

  public static final Trigger TRIGGER = new Trigger(10, 5, 5);

  /** The controller's metric names, which template.yaml's alarms and dashboard read. */
  public static final ControllerMetrics METRICS = new ControllerMetrics(
      "offhours",
      "EndpointName",
      "EndpointCreateFailures",
      "EndpointRunningOutsideSchedule",
      "ControllerRuns",
      "TestInvocationFailures",
      "ControllerStepFailures",
      "OverdueSeconds",
      "EndpointOn",
      "Backlog");

  /** template.yaml's Outputs: the CLI's {@code --stack NAME} resolves resource names from them. */
  public static final List<String> STACK_OUTPUTS = List.of(
      "BucketName",
      "QueueUrl",
      "DeadLetterQueueUrl",
      "ResultsTableName",
      "ControlTableName",
      "EndpointName",
      "EndpointConfigName",
      "ClassifyMappingId",
      "ControllerFunctionName",
      "ClassifyFunctionName",
      "AlarmTopic",
      "ApiUrl",
      "ApiFunctionName",
      "HostingOption",
      "InferenceComponentName");

  /**
   * What the controller's schedule delivers every tick: template.yaml's ScheduleV2 Input, which EventBridge Scheduler
   * passes to the function as it is, and what the local scheduler sends. The controller reads no field of it (a
   * tick is an event without "action").
   */
  public static final String SCHEDULER_TICK = "{\"source\":\"offhours.schedule\"}";

  /**
   * The alias every function is published under (template.yaml AutoPublishAlias): what its triggers invoke, and the
   * only way to a SnapStart snapshot (an unqualified invoke runs $LATEST, which SnapStart never restores).
   */
  public static final String FUNCTION_ALIAS = "live";

  /** Lambda handler strings (template.yaml Handler values). */
  public static final String CLASSIFY_HANDLER = "offhours.classify.ClassifyHandler::handleRequest";

  public static final String CONTROLLER_HANDLER =
      "offhours.endpoint.ControllerHandler::handleRequest";
  public static final String CLEANUP_HANDLER =
      "offhours.endpoint.cfn.EndpointCleanupHandler::handleRequest";
  public static final String API_HANDLER = "offhours.api.ApiHandler::handleRequest";

  /** The HTTP API's routes ("METHOD /path"; a last segment {name+} takes the rest of the path), in template.yaml. */
  public static final List<String> API_ROUTES =
      List.of("POST /classify", "GET /status", "GET /results", "GET /results/{key+}");

  /** The default label list: nsfwjs' classes in the model's output order. */
  public static final List<String> DEFAULT_LABELS =
      List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
}
