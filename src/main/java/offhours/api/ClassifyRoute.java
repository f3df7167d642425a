package offhours.api;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import offhours.aws.InvocationDeadline;
import offhours.aws.UsageLedger;
import offhours.inference.AwsFailures;
import offhours.inference.ContractViolation;
import offhours.inference.ImageFormat;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationErrors;
import offhours.inference.InvocationUsage;
import offhours.inference.ModelAnswer;
import offhours.inference.ProbeImage;
import offhours.inference.ScoredLabel;
import offhours.results.ResultItem;
import offhours.units.Shown;
import offhours.units.Sizes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * POST /classify, the seed's synchronous call: the body is the image. If the endpoint answers, its labels now (200).
 * If it is off, waking or throttled, the image is stored in the bucket under {@value #PREFIX}... and goes through the
 * queue like any upload: 202 with its key, where its result will be and when it is expected. A sleeping endpoint is
 * never a 5xx.
 */
final class ClassifyRoute {

  /** Where images that must wait are stored (the API's role may put objects under this prefix only). */
  private static final String PREFIX = "api/";

  /**
   * InvokeEndpoint's share of API Gateway's 30 s integration timeout
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html); a slower answer counts as an
   * unavailable endpoint, and the image waits in the queue instead.
   */
  static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(20);

  /**
   * When a client should send an image again that the deadline kept from being stored (503, 504): a retry goes the
   * queue path at once if the endpoint still cannot answer, so a short wait is enough, and no forecast is read on these
   * paths, since the forecast's reads come after the image is stored; also when to ask for a queued image's result
   * that has no forecast (RFC 9110, section 10.2.3: https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3).
   */
  private static final int RETRY_AFTER_SECONDS = 30;

  private final ApiConfig config;
  private final S3Client s3;
  private final InferenceClient inference;
  private final UsageLedger usage;
  private final Function<Supplier<Duration>, StackObserver.Observed> observer;
  private final Clock clock;
  /** Where the route's own lines go: what SageMaker or AWS answered when a call failed. */
  private final PrintStream out;

  /**
   * {@code inference} calls the model as the consumer does (its labels resolved), and {@code usage} records what a
   * serverless endpoint bills for each call, as Classify's batches do; {@code observer} reads the stack when an image
   * must wait (for the forecast), each read cut after what the supplier it is given says; the route's own lines go to
   * {@code out}, as the API's do.
   */
  ClassifyRoute(
      ApiConfig config,
      S3Client s3,
      InferenceClient inference,
      UsageLedger usage,
      Function<Supplier<Duration>, StackObserver.Observed> observer,
      Clock clock,
      PrintStream out) {
    this.config = config;
    this.s3 = s3;
    this.inference = inference;
    this.usage = usage;
    this.observer = observer;
    this.clock = clock;
    this.out = out;
  }

  /** Answers within {@code deadline}: every call after InvokeEndpoint is cut before it. */
  ApiResponse handle(ApiRequest request, RequestDeadline deadline) {
    InvocationUsage spent = usage.tally();
    try {
      return handle(request, spent, deadline);
    } finally {
      // The invocations the model ran for, whatever the answer to the client; with no time left
      // they are lost, and the log says so.
      usage.add(spent, () -> deadline.timeout(RequestDeadline.END, "the ledger write"));
    }
  }

  /**
   * Why an image may have arrived as something else: a body of a text type (text/*, JSON, XML, JavaScript) reaches the
   * function as UTF-8 text rather than base64 ({@link HttpEvents#isText}), which a JPEG's or PNG's bytes do not
   * survive. Empty for other types, curl's default for {@code --data-binary} among them: API Gateway base64-encodes
   * those, and the bytes arrive as sent.
   */
  private static String sentAsText(ApiRequest request) {
    String type = request.header("content-type");
    return HttpEvents.isText(type)
        ? "; it came as Content-Type " + Shown.value(type) + ", which reaches offhours as text,"
            + " and an image's bytes do not survive that: send it with Content-Type: image/jpeg or"
            + " image/png (curl: -H 'Content-Type: image/jpeg')"
        : "";
  }

  private ApiResponse handle(ApiRequest request, InvocationUsage spent, RequestDeadline deadline) {
    byte[] image = request.body();
    if (image.length == 0) {
      return ApiResponse.error(
          400, "send the image as the request body (Content-Type: image/jpeg or image/png)");
    }
    // Fires for a serverless endpoint (4 MB): with 6 MB, a body this large never reaches the
    // function (ApiConfig.LAMBDA_PAYLOAD_BYTES).
    if (image.length > config.maxImageBytes()) {
      return ApiResponse.error(
          413,
          "the image " + Sizes.overLimit(image.length, config.maxImageBytes())
              + ", through the API or the bucket (MAX_IMAGE_BYTES): " + Sizes.SHRINK
              + " and send it again");
    }
    ImageFormat format = ImageFormat.of(image);
    if (format == null) {
      return ApiResponse.error(
          415,
          "the body looks like " + ImageFormat.describe(image)
              + "; offhours classifies JPEG and PNG images" + sentAsText(request));
    }
    Duration invokeTimeout;
    try {
      invokeTimeout = invokeTimeout(deadline);
    } catch (InvocationDeadline.NoTimeLeft e) {
      return queue(request, image, format, e.getMessage(), deadline);
    }
    ModelAnswer answer;
    long started = System.nanoTime();
    try {
      InferenceClient.RawAnswer reply = inference.send(image, invokeTimeout, spent);
      String otherModel = reply.otherModel(config.modelName());
      if (otherModel != null) {
        // Its labels would be this model's class names on another model's scores: the image goes
        // through the queue, which the endpoint of this model serves.
        return queue(request, image, format, otherModel, deadline);
      }
      answer = inference.read(reply);
    } catch (SdkException e) {
      InvocationErrors.Failure failure = InvocationErrors.of(e);
      // The answer says it in offhours' words; what SageMaker itself answered, which may name the
      // account and the function's role, goes to the function's log only, as Classify's does.
      out.println("offhours api: POST /classify (request " + request.shownRequestId()
          + "): InvokeEndpoint failed (" + failure.cause() + "); SageMaker's answer: "
          + AwsFailures.said(e));
      return switch (failure.cause()) {
        // As the consumer decides it: the endpoint cannot answer now, or refused for a reason that
        // is not the image's. Either way the image waits in the queue.
        case UNAVAILABLE, THROTTLED, ENDPOINT, OVERSIZE ->
          queue(request, image, format, failure.reason(), deadline);
        case IMAGE -> ApiResponse.error(422, failure.reason());
        // As the consumer decides it too: a 4xx is the image's only if the model reads offhours'
        // probe image, in what is left of INVOKE_TIMEOUT; else the endpoint cannot answer.
        case UNREADABLE -> {
          Duration left = invokeTimeout.minusNanos(System.nanoTime() - started);
          ProbeImage.Check probe = left.compareTo(Duration.ofSeconds(1)) < 0
              ? new ProbeImage.Check(
                  "too little of the request's time remains to check that with offhours' probe image",
                  false)
              : ProbeImage.send(inference, left, spent);
          yield probe.read()
              ? ApiResponse.error(422, failure.reason() + "; " + ProbeImage.Check.READ)
              : queue(request, image, format, failure.reason() + "; " + probe.failure(), deadline);
        }
        case CRASH, DEPLOYMENT -> ApiResponse.error(502, failure.reason());
      };
    } catch (ContractViolation e) {
      return ApiResponse.error(
          502, "the endpoint's answer does not fit the model's settings: " + e.getMessage());
    }
    List<ScoredLabel> labels = answer.ranking().top(config.topK());
    Map<String, Object> result = StatusView.orderedMap(
        "state",
        "CLASSIFIED",
        "topLabel",
        labels.getFirst().label(),
        "topScore",
        labels.getFirst().score(),
        "labels",
        ResultView.labels(
            labels.stream().map(l -> new ResultItem.Label(l.label(), l.score())).toList()),
        "scores",
        answer.ranking().scores().word(),
        "format",
        format.name(),
        "sizeBytes",
        image.length,
        "model",
        answer.variant() != null ? answer.variant() : config.modelName(),
        "endpoint",
        config.controller().endpointName(),
        "classifiedAt",
        clock.instant());
    return ApiResponse.json(200, result);
  }

  /**
   * {@link #INVOKE_TIMEOUT}, or less when the request's deadline would leave the queue path after it less than
   * {@link RequestDeadline#AFTER_INVOKE}: a slow endpoint then still leaves the time to store the image.
   */
  private static Duration invokeTimeout(RequestDeadline deadline) {
    Duration left = deadline.timeout(RequestDeadline.AFTER_INVOKE, "InvokeEndpoint");
    return left == null || left.compareTo(INVOKE_TIMEOUT) > 0 ? INVOKE_TIMEOUT : left;
  }

  /**
   * Stores the image so it goes through the queue, and says where and when its result will be. Each call is cut
   * before the deadline ({@link RequestDeadline}): an image the deadline kept from being stored is a 503 (not
   * stored) or a 504 (S3 did not confirm it in time), each with a Retry-After; a forecast it kept from being read
   * leaves the 202 without one, since the image is stored all the same. The 202's Retry-After is the forecast's
   * ({@link Forecast#retryAfterSeconds}), else {@link #RETRY_AFTER_SECONDS}: by then GET /results/KEY has one.
   */
  private ApiResponse queue(
      ApiRequest request, byte[] image, ImageFormat format, String why, RequestDeadline deadline) {
    Instant now = clock.instant();
    String key = PREFIX + LocalDate.ofInstant(now, ZoneOffset.UTC) + "/" + UUID.randomUUID()
        + (format == ImageFormat.PNG ? ".png" : ".jpg");
    String path = "/results/" + key;
    Duration storing;
    try {
      storing = deadline.timeout(RequestDeadline.AFTER_STORE, "storing the image");
    } catch (InvocationDeadline.NoTimeLeft e) {
      return retryLater(
          503,
          "the endpoint cannot answer now (" + why + "), and " + e.getMessage()
              + ": the image was not stored; send it again");
    }
    try {
      s3.putObject(
          r -> {
            r.bucket(config.bucket()).key(key).contentType(format.mediaType());
            if (storing != null) {
              r.overrideConfiguration(c -> c.apiCallTimeout(storing));
            }
          },
          RequestBody.fromBytes(image));
    } catch (ApiCallTimeoutException e) {
      return retryLater(
          504,
          "the endpoint cannot answer now (" + why + "), and storing the image as s3://"
              + config.bucket() + "/" + key + " was cut after "
              + (storing == null ? "the S3 client's call timeout" : storing.toMillis() + " ms")
              + ", to answer before this request's deadline: S3 did not confirm it, so it may"
              + " or may not be stored (GET " + path + " tells); send it again");
    }
    StackObserver.Observed seen;
    String unforeseen = null;
    try {
      seen = observer.apply(
          () -> deadline.timeout(RequestDeadline.AFTER_READS, "reading the stack for a forecast"));
    } catch (InvocationDeadline.NoTimeLeft e) {
      seen = null;
      unforeseen = e.getMessage();
    } catch (ApiCallTimeoutException e) {
      seen = null;
      unforeseen =
          "reading the stack for a forecast was cut to answer before this request's deadline";
    } catch (SdkException e) {
      // The image is stored: a forecast that cannot be read is no reason to say otherwise. AWS's
      // answer, which may name the account and the function's role, goes to the log only.
      out.println("offhours api: POST /classify (request " + request.shownRequestId()
          + "): the forecast's read failed; AWS's answer: " + AwsFailures.said(e));
      seen = null;
      unforeseen = AwsFailures.words("the forecast's read of the stack", "the API function", e);
    }
    Forecast forecast = seen == null ? null : Forecast.of(config, seen);
    Map<String, Object> queued = StatusView.orderedMap(
        "state",
        "QUEUED",
        "key",
        key,
        "bucket",
        config.bucket(),
        "result",
        url(request, path),
        "startsAt",
        forecast == null ? null : forecast.startsAt(),
        "expectedAt",
        forecast == null ? null : forecast.expectedAt(),
        "reason",
        "the endpoint cannot answer now (" + why + "); the image waits in the queue: "
            + (forecast == null ? "no forecast, " + unforeseen : forecast.reason()),
        "observedAt",
        seen == null ? null : seen.at());
    long retryAfter =
        forecast == null ? RETRY_AFTER_SECONDS : forecast.retryAfterSeconds(seen.at());
    return ApiResponse.json(
        202, queued, Map.of("location", path, "retry-after", Long.toString(retryAfter)));
  }

  private static ApiResponse retryLater(int status, String message) {
    return ApiResponse.json(
        status,
        Map.of("message", message),
        Map.of("retry-after", Integer.toString(RETRY_AFTER_SECONDS)));
  }

  /**
   * The absolute URL of {@code path} on the host the request came to: http when the request says it came over http
   * (the local front), else https (API Gateway). X-Forwarded-Proto is a header a client can send too, so no other
   * scheme (javascript:, data:) ever reaches a link built from the answer.
   */
  private static String url(ApiRequest request, String path) {
    String host = request.header("host");
    if (host == null || host.isBlank()) {
      return path;
    }
    String scheme = "http".equals(request.header("x-forwarded-proto")) ? "http" : "https";
    return scheme + "://" + host + path;
  }
}
