package offhours.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import offhours.classify.InvokeContract;
import offhours.results.ResultItem.Label;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * POST /classify, the seed's synchronous call: the body is the image. If the endpoint answers, its labels now (200).
 * If it is off, waking or throttled, the image is stored in the bucket under {@value #PREFIX}... and goes through the
 * queue like any upload: 202 with its key, where its result will be and when it is expected. A sleeping endpoint is
 * never a 5xx.
 */
final class ClassifyRoute {

  /** Where images that must wait are stored (the API's role may put objects under this prefix only). */
  static final String PREFIX = "api/";

  /**
   * InvokeEndpoint's share of API Gateway's 30 s integration timeout
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html); a slower answer counts as an
   * unavailable endpoint, and the image waits in the queue instead.
   */
  static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(20);

  private final ApiConfig config;
  private final S3Client s3;
  private final SageMakerRuntimeClient runtime;
  private final Supplier<StackObserver.Observed> observer;
  private final Clock clock;

  /** {@code observer} reads the stack when an image must wait (for the forecast). */
  ClassifyRoute(ApiConfig config, S3Client s3, SageMakerRuntimeClient runtime,
      Supplier<StackObserver.Observed> observer, Clock clock) {
    this.config = config;
    this.s3 = s3;
    this.runtime = runtime;
    this.observer = observer;
    this.clock = clock;
  }

  /** LABELS as given, or the label file at LABELS_S3_URI, read once at init. */
  static ApiConfig resolveLabels(ApiConfig config, S3Client s3) {
    if (!config.labels().isEmpty()) {
      return config;
    }
    String path = config.labelsS3Uri().substring("s3://".length());
    int slash = path.indexOf('/');
    if (!config.labelsS3Uri().startsWith("s3://") || slash < 1) {
      throw new IllegalArgumentException("LABELS_S3_URI must look like s3://bucket/key, got " + config.labelsS3Uri());
    }
    String text = s3.getObjectAsBytes(r -> r.bucket(path.substring(0, slash)).key(path.substring(slash + 1)))
        .asString(StandardCharsets.UTF_8);
    List<String> labels = InvokeContract.labelLines(text);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("LABELS_S3_URI " + config.labelsS3Uri() + " holds no labels (one per line)");
    }
    return config.withLabels(labels);
  }

  ApiResponse handle(ApiRequest request) {
    byte[] image = request.body();
    if (image.length == 0) {
      return ApiResponse.error(400, "send the image as the request body (Content-Type: image/jpeg or image/png)");
    }
    if (image.length > config.maxImageBytes()) {
      return ApiResponse.error(413, "the image is " + image.length + " bytes; POST /classify accepts at most "
          + config.maxImageBytes() + " bytes (what fits a Lambda invocation once base64-encoded, within the"
          + " endpoint's limit); upload larger images to the bucket instead");
    }
    String format = InvokeContract.format(image);
    if (format == null) {
      return ApiResponse.error(415, "the body looks like " + InvokeContract.describe(image)
          + "; offhours classifies JPEG and PNG images");
    }
    InvokeEndpointResponse answer;
    try {
      answer = runtime.invokeEndpoint(r -> r.endpointName(config.controller().endpointName())
          .contentType(InvokeContract.CONTENT_TYPE).accept("application/json")
          .body(SdkBytes.fromByteArrayUnsafe(image))
          .overrideConfiguration(o -> o.apiCallTimeout(INVOKE_TIMEOUT)));
    } catch (SdkException e) {
      InvokeContract.Failure failure = InvokeContract.failure(e);
      return switch (failure.meaning()) {
        case UNAVAILABLE -> queue(request, image, format, failure.reason());
        case REJECTED -> ApiResponse.error(422, failure.reason());
        case FAILED -> ApiResponse.error(502, failure.reason());
      };
    }
    List<Label> labels;
    try {
      labels = InvokeContract.topK(answer.body().asByteArrayUnsafe(), config.labels(), labelSource(), config.topK());
    } catch (IllegalStateException e) {
      return ApiResponse.error(502, "the endpoint's answer does not fit the configured labels: " + e.getMessage());
    }
    Map<String, Object> result = StatusView.orderedMap("state", "CLASSIFIED", "topLabel", labels.getFirst().label(),
        "topScore", labels.getFirst().score(), "labels", ResultView.labels(labels), "format", format,
        "sizeBytes", image.length, "model", config.modelName(), "endpoint", config.controller().endpointName(),
        "classifiedAt", clock.instant());
    return ApiResponse.json(200, result);
  }

  /** Stores the image so it goes through the queue, and says where and when its result will be. */
  private ApiResponse queue(ApiRequest request, byte[] image, String format, String why) {
    Instant now = clock.instant();
    String key = PREFIX + LocalDate.ofInstant(now, ZoneOffset.UTC) + "/" + UUID.randomUUID()
        + (format.equals("PNG") ? ".png" : ".jpg");
    s3.putObject(r -> r.bucket(config.bucket()).key(key).contentType(format.equals("PNG") ? "image/png" : "image/jpeg"),
        RequestBody.fromBytes(image));
    StackObserver.Observed seen = observer.get();
    Forecast forecast = Forecast.of(config, seen);
    String path = "/results/" + key;
    Map<String, Object> queued = StatusView.orderedMap("state", "QUEUED", "key", key, "bucket", config.bucket(),
        "result", url(request, path), "startsAt", forecast.startsAt(), "expectedAt", forecast.expectedAt(),
        "reason", "the endpoint cannot answer now (" + why + "); the image waits in the queue: " + forecast.reason(),
        "observedAt", seen.at());
    return ApiResponse.json(202, queued, Map.of("location", path));
  }

  /** The absolute URL of {@code path} on the host the request came to (API Gateway: https). */
  private static String url(ApiRequest request, String path) {
    String host = request.header("host");
    if (host == null || host.isBlank()) {
      return path;
    }
    String scheme = request.header("x-forwarded-proto");
    return (scheme == null ? "https" : scheme) + "://" + host + path;
  }

  private String labelSource() {
    return config.labelsS3Uri() != null ? "LABELS_S3_URI " + config.labelsS3Uri() : "LABELS";
  }
}
