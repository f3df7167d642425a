package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import offhours.aws.UsageLedger;
import offhours.inference.InferenceClient;
import offhours.inference.ProbeImage;
import offhours.stack.StackSpec;
import offhours.testing.AwsAnswers;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** POST /classify's answers for each thing InvokeEndpoint can do, with in-memory S3 and SageMaker Runtime. */
class ClassifyRouteTest {

  private static final Instant NOW =
      Instant.parse("2026-11-28T09:00:00Z"); // a Saturday: the endpoint sleeps
  private static final byte[] PNG = read("src/test/resources/images/chelsea.png");
  private static final byte[] JPEG = read("src/test/resources/images/rocket.jpg");

  private final List<PutObjectRequest> puts = new ArrayList<>();
  private final List<byte[]> stored = new ArrayList<>();
  private final List<InvokeEndpointRequest> invocations = new ArrayList<>();
  private final FakeDynamoDb ledger = new FakeDynamoDb();

  private static final ApiConfig SERVERLESS =
      ApiFixtures.config(Map.of("HOSTING", "serverless", "SERVERLESS_MEMORY_MB", "2048"));

  @Test
  void withHostingServerlessWhatTheModelRanForGoesToTheLedgerOncePerRequest() {
    String answer = "[0.02, 0.01, 0.9, 0.02, 0.05]";
    assertThat(post(SERVERLESS, PNG, r -> answer(answer)).status()).isEqualTo(200);
    // A 4xx on the image, then the probe image read: two invocations, one write.
    assertThat(post(SERVERLESS, JPEG, r -> {
              if (Arrays.equals(r.body().asByteArray(), ProbeImage.bytes())) {
                return answer(answer);
              }
              throw modelError(400, "image file is truncated");
            })
            .status())
        .isEqualTo(422);

    assertThat(ledger.updates).hasSize(2).allSatisfy(u -> {
      assertThat(u.tableName()).isEqualTo("control");
      assertThat(u.key().get("pk").s()).isEqualTo("ledger");
    });
    Map<String, String> first = numbers(ledger.updates.get(0).expressionAttributeValues());
    assertThat(first).containsEntry(":invocations", "1");
    assertThat(first)
        .containsEntry(":invocationBytes", Long.toString(PNG.length + answer.length()));
    assertThat(numbers(ledger.updates.get(1).expressionAttributeValues()))
        .containsEntry(":invocations", "2");
  }

  @Test
  void aThrottledRequestOrAnotherHostingRecordsNothing() {
    post(SERVERLESS, PNG, r -> {
      throw service(429, "ThrottlingException", "Rate exceeded");
    });
    post(PNG, r -> answer("[0.02, 0.01, 0.9, 0.02, 0.05]"));
    assertThat(invocations).hasSize(2);
    assertThat(ledger.updates).isEmpty();
  }

  private static Map<String, String> numbers(
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values) {
    Map<String, String> n = new java.util.TreeMap<>();
    values.forEach((k, v) -> n.put(k, v.n()));
    return n;
  }

  @Test
  void anAnsweringEndpointGivesTheLabelsNow() {
    ApiResponse response = post(PNG, r -> answer("[0.02, 0.01, 0.9, 0.02, 0.05]"));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(JsonText.string(body, "state")).isEqualTo("CLASSIFIED");
    assertThat(JsonText.string(body, "topLabel")).isEqualTo("Neutral");
    assertThat(body.asObject().get("labels").asArray()).hasSize(3);
    assertThat(invocations).singleElement().satisfies(i -> {
      assertThat(i.endpointName()).isEqualTo("offhours-endpoint-1a2b");
      assertThat(i.contentType()).isEqualTo("application/x-image");
      assertThat(i.overrideConfiguration().get().apiCallTimeout()).contains(Duration.ofSeconds(20));
    });
    assertThat(puts).as("nothing stored when the endpoint answered").isEmpty();
  }

  /**
   * A stack update replaced the model (and its labels); the API's `live` version has the new settings while the
   * endpoint still runs the old model: its scores under the new class names would be a wrong answer, so the image
   * goes through the queue, which the new model's endpoint serves.
   */
  @Test
  void anAnswerFromAnotherModelThanTheSettingsDescribeQueuesTheImageInsteadOfLabellingIt() {
    ApiConfig newModel = ApiFixtures.config(Map.of("MODEL_NAME", "offhours-model-new"));
    ApiResponse response = post(
        newModel,
        JPEG,
        r -> InvokeEndpointResponse.builder()
            .contentType("application/json")
            .invokedProductionVariant("offhours-model-old")
            .body(SdkBytes.fromUtf8String("[0.02, 0.01, 0.9, 0.02, 0.05]"))
            .build());

    assertThat(response.status()).isEqualTo(202);
    assertThat(JsonText.string(json(response), "reason"))
        .startsWith("the endpoint cannot answer now (the endpoint answered from model"
            + " offhours-model-old, but this function's settings are for model offhours-model-new (a"
            + " stack update is replacing one with the other)); the image waits in the queue");
    assertThat(puts).hasSize(1);

    ApiResponse same = post(
        newModel,
        PNG,
        r -> InvokeEndpointResponse.builder()
            .contentType("application/json")
            .invokedProductionVariant("Offhours-Model-New")
            .body(SdkBytes.fromUtf8String("[0.02, 0.01, 0.9, 0.02, 0.05]"))
            .build());
    assertThat(same.status())
        .as("the variant of its own model, whatever the case")
        .isEqualTo(200);
    assertThat(JsonText.string(json(same), "model")).isEqualTo("Offhours-Model-New");
  }

  @Test
  void anAbsentEndpointQueuesTheImageAndSaysWhereAndWhenItsResultWillBe() {
    ApiResponse response = post(JPEG, r -> {
      throw service(
          400,
          "ValidationError",
          "Endpoint offhours-endpoint-1a2b of account 123456789012 not found.");
    });

    assertThat(response.status()).isEqualTo(202);
    JsonNode body = json(response);
    String key = JsonText.string(body, "key");
    assertThat(key).matches("api/2026-11-28/[0-9a-f-]{36}\\.jpg");
    assertThat(JsonText.string(body, "result"))
        .isEqualTo("https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/results/" + key);
    assertThat(response.headers()).containsEntry("location", "/results/" + key);
    assertThat(JsonText.string(body, "startsAt")).isEqualTo("2026-11-30T07:00:00Z");
    assertThat(JsonText.string(body, "expectedAt"))
        .as(
            "the default 30-minute wake, the first batch (5 s window and 5 s) and one upload at 2/s")
        .isEqualTo("2026-11-30T07:30:11Z");
    assertThat(response.headers())
        .as("Monday morning is more than an hour ahead: ask again in an hour")
        .containsEntry("retry-after", "3600");
    assertThat(JsonText.string(body, "reason"))
        .as("in offhours' words: no account id, no SDK error code")
        .startsWith("the endpoint cannot answer now (the endpoint is off: it does not exist now);"
            + " the image waits in the queue: the endpoint is off outside working hours")
        .doesNotContain("123456789012", "ValidationError");
    assertThat(puts).singleElement().satisfies(p -> {
      assertThat(p.bucket()).isEqualTo("offhours-images-123456789012-1a2b");
      assertThat(p.key()).isEqualTo(key);
      assertThat(p.contentType()).isEqualTo("image/jpeg");
    });
    assertThat(stored).singleElement().isEqualTo(JPEG);
  }

  @Test
  void aQueuedImageIsToldToAskForItsResultWhenTheForecastExpectsIt() {
    now = Instant.parse("2026-11-25T09:00:00Z"); // Wednesday 10:00 in Berlin, the endpoint off

    ApiResponse response = post(PNG, ASLEEP);

    assertThat(response.status()).isEqualTo(202);
    assertThat(JsonText.string(json(response), "expectedAt"))
        .as(
            "the controller's next run in 5 minutes, the 30-minute wake, the first batch, one upload")
        .isEqualTo("2026-11-25T09:35:11Z");
    assertThat(response.headers()).containsEntry("retry-after", "2111");
  }

  @Test
  void theResultUrlIsHttpOrHttpsWhateverSchemeTheRequestClaims() {
    for (String claimed : List.of("javascript", "data", "https, javascript", "")) {
      forwardedProto = claimed;
      ApiResponse response = post(JPEG, r -> {
        throw service(400, "ValidationError", "Endpoint offhours-endpoint-1a2b not found.");
      });
      assertThat(JsonText.string(json(response), "result"))
          .as("X-Forwarded-Proto: %s", claimed)
          .startsWith("https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/results/api/");
    }
    forwardedProto = "http"; // the local front's
    assertThat(JsonText.string(
            json(post(JPEG, r -> {
              throw service(400, "ValidationError", "Endpoint offhours-endpoint-1a2b not found.");
            })),
            "result"))
        .startsWith("http://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/results/api/");
  }

  @Test
  void aWakingThrottledOrUnreachableEndpointIsNeverAServerError() {
    for (Function<InvokeEndpointRequest, InvokeEndpointResponse> failure :
        List.<Function<InvokeEndpointRequest, InvokeEndpointResponse>>of(
            r -> {
              throw ModelNotReadyException.builder()
                  .statusCode(429)
                  .message("model not ready")
                  .build();
            },
            r -> {
              throw service(429, "ThrottlingException", "Rate exceeded");
            },
            r -> {
              throw service(503, "ServiceUnavailable", "try later");
            },
            r -> {
              throw SdkClientException.create("Unable to execute HTTP request: Read timed out");
            })) {
      assertThat(post(PNG, failure).status()).isEqualTo(202);
    }
    assertThat(puts)
        .hasSize(4)
        .allSatisfy(p -> assertThat(p.key()).startsWith("api/").endsWith(".png"));
  }

  @Test
  void anImageTheModelCannotReadIsUnprocessableAndACrashIsABadGateway() {
    ApiResponse unreadable = post(JPEG, r -> {
      if (Arrays.equals(r.body().asByteArray(), ProbeImage.bytes())) {
        return answer("[0.02, 0.01, 0.9, 0.02, 0.05]");
      }
      throw modelError(400, "image file is truncated");
    });
    assertThat(unreadable.status()).isEqualTo(422);
    assertThat(JsonText.string(json(unreadable), "message"))
        .isEqualTo("the model could not read the image (status 400): image file is truncated; it"
            + " read offhours' probe image meanwhile");
    assertThat(invocations).hasSize(2);
    assertThat(invocations.getLast().overrideConfiguration().orElseThrow().apiCallTimeout())
        .as("the probe has what is left of the route's 20 s")
        .hasValueSatisfying(t -> assertThat(t).isLessThanOrEqualTo(Duration.ofSeconds(20)));

    ApiResponse crash = post(JPEG, r -> {
      throw modelError(500, "CUDA out of memory");
    });
    assertThat(crash.status()).isEqualTo(502);
    assertThat(JsonText.string(json(crash), "message")).contains("CUDA out of memory");
    assertThat(puts).isEmpty();
  }

  @Test
  void anAccessDeniedIsABadGatewayInOffhoursWordsAndSageMakersAnswerGoesToTheLogOnly() {
    String said =
        "User: arn:aws:sts::123456789012:assumed-role/offhours-ApiRole/offhours-Api is not"
            + " authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:us-east-1:"
            + "123456789012:endpoint/offhours-endpoint because no identity-based policy allows the"
            + " sagemaker:InvokeEndpoint action";
    ApiResponse response = post(PNG, r -> {
      throw SageMakerRuntimeException.builder()
          .statusCode(400)
          .requestId("9e4b")
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("AccessDeniedException")
              .errorMessage(said)
              .build())
          .build();
    });

    assertThat(response.status()).isEqualTo(502);
    assertThat(JsonText.string(json(response), "message"))
        .doesNotContainPattern("\\d{12}")
        .doesNotContain("arn:")
        .startsWith("the function's role may not call sagemaker:InvokeEndpoint on this endpoint");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("InvokeEndpoint failed (DEPLOYMENT); SageMaker's answer: AccessDeniedException"
            + " (HTTP 400, request 9e4b): " + said);
  }

  @Test
  void aModel4xxOnTheProbeImageTooQueuesTheImageAsForAnEndpointThatCannotAnswer() {
    // The Hugging Face toolkit's answer to a CUDA out-of-memory: a 400, for any image.
    ApiResponse response = post(PNG, r -> {
      throw modelError(400, "CUDA out of memory");
    });

    assertThat(response.status()).isEqualTo(202);
    assertThat(JsonText.string(json(response), "reason"))
        .startsWith("the endpoint cannot answer now (the model could not read the image (status"
            + " 400): CUDA out of memory; it failed on offhours' probe image too: the model could"
            + " not read the image (status 400): CUDA out of memory)");
    assertThat(invocations).hasSize(2);
    assertThat(puts).singleElement().satisfies(p -> assertThat(p.key()).startsWith("api/"));
  }

  @Test
  void anAnswerThatDoesNotFitTheLabelsIsABadGatewayThatSaysSo() {
    ApiResponse response = post(PNG, r -> answer("[0.5, 0.5]"));

    assertThat(response.status()).isEqualTo(502);
    assertThat(JsonText.string(json(response), "message"))
        .isEqualTo(
            "the endpoint's answer does not fit the"
                + " model's settings: the endpoint returned 2 scores but 5 labels are configured (LABELS)");
  }

  @Test
  void emptyTooLargeAndNonImageBodiesAreRefusedBeforeTheEndpoint() {
    ApiResponse empty = post(new byte[0], r -> answer("[]"));
    assertThat(empty.status()).isEqualTo(400);

    byte[] big = new byte[4_194_305];
    System.arraycopy(PNG, 0, big, 0, PNG.length);
    ApiResponse tooLarge =
        post(ApiFixtures.config(Map.of("MAX_IMAGE_BYTES", "4194304")), big, r -> answer("[]"));
    assertThat(tooLarge.status()).as("over a serverless endpoint's 4 MB").isEqualTo(413);
    assertThat(JsonText.string(json(tooLarge), "message"))
        .isEqualTo("the image is 4.2 MB (4,194,305 bytes); the endpoint accepts at most 4.2 MB"
            + " (4,194,304 bytes), through the API or the bucket (MAX_IMAGE_BYTES): resize or"
            + " re-encode it under that size and send it again");

    ApiResponse gif = post("GIF89a...".getBytes(StandardCharsets.US_ASCII), r -> answer("[]"));
    assertThat(gif.status()).isEqualTo(415);
    assertThat(JsonText.string(json(gif), "message"))
        .isEqualTo("the body looks like GIF; offhours classifies JPEG and PNG images");
    assertThat(invocations).isEmpty();
  }

  @Test
  void anImageSentAsTextSaysToSendItWithAnImageContentType() throws Exception {
    // An HTTP API hands a text/*, JSON, XML or JavaScript body over as UTF-8 text, which mangles
    // the JPEG's bytes.
    contentType = "text/plain";
    byte[] mangled = new String(JPEG, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);

    ApiResponse text = post(mangled, r -> answer("[]"));

    assertThat(text.status()).isEqualTo(415);
    assertThat(JsonText.string(json(text), "message"))
        .isEqualTo(
            "the body looks like unknown binary data; offhours classifies JPEG and PNG images; it came as"
                + " Content-Type text/plain, which reaches offhours as text, and an image's bytes do not survive"
                + " that: send it with Content-Type: image/jpeg or image/png (curl: -H 'Content-Type: image/jpeg')");
    contentType = "image/jpeg";
    assertThat(JsonText.string(
            json(post("GIF89a...".getBytes(StandardCharsets.US_ASCII), r -> answer("[]"))),
            "message"))
        .as("an image type: the body is what was sent")
        .isEqualTo("the body looks like GIF; offhours classifies JPEG and PNG images");
    contentType = "application/x-www-form-urlencoded";
    assertThat(JsonText.string(json(post(mangled, r -> answer("[]"))), "message"))
        .as(
            "curl's default for --data-binary, which API Gateway base64-encodes: not mangled on the way")
        .isEqualTo(
            "the body looks like unknown binary data; offhours classifies JPEG and PNG images");
    assertThat(invocations).isEmpty();
  }

  @Test
  void theContentTypeAnImageCameAsIsQuotedEscapedAndCut() {
    byte[] mangled = new String(JPEG, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    contentType = "text/plain; x=" + "t".repeat(4986);
    String message = JsonText.string(json(post(mangled, r -> answer("[]"))), "message");
    assertThat(message)
        .contains("; it came as Content-Type text/plain; x=" + "t".repeat(46)
            + "... (5000 characters), which reaches offhours as text")
        .hasSizeLessThan(500);
    contentType = "text/plain\n\u001b[2J\u0000";
    assertThat(JsonText.string(json(post(mangled, r -> answer("[]"))), "message"))
        .contains("; it came as Content-Type text/plain\\x0a\\x1b[2J\\x00, which reaches")
        .doesNotContain("\n", "\u001b", "\u0000");
    assertThat(invocations).isEmpty();
  }

  /** The request's Content-Type header; none by default. */
  private String contentType;

  /** The event's requestContext.requestId. */
  private String requestId = "req-1";

  /** When the requests arrive and the stack is read. */
  private Instant now = NOW;
  /** The X-Forwarded-Proto the requests carry (API Gateway's own: https). */
  private String forwardedProto = "https";
  /** The invocation's time left; none by default. */
  private RequestDeadline deadline = RequestDeadline.NONE;
  /** What PutObject throws, if anything. */
  private RuntimeException storeFailure;
  /** Each read's timeout the forecast was given. */
  private final List<Duration> readTimeouts = new ArrayList<>();
  /** What the forecast's reads throw, if anything. */
  private RuntimeException readFailure;
  /** The route's own lines. */
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  /**
   * The event's requestContext.requestId, which whoever invokes the function writes, as the log lines of a failed
   * InvokeEndpoint and a failed forecast read quote it.
   */
  @Test
  void theRequestIdInTheLogLinesIsEscapedAndCut() {
    requestId = "id\u001b]0;owned\u0007\u202e" + "i".repeat(4987);
    readFailure = SdkClientException.create("Unable to execute HTTP request: Connection reset");
    assertThat(post(PNG, ASLEEP).status()).isEqualTo(202);

    String shown = "id\\x1b]0;owned\\x07\\u202e" + "i".repeat(47) + "... (5000 characters)";
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("offhours api: POST /classify (request " + shown + "): InvokeEndpoint failed")
        .contains(
            "offhours api: POST /classify (request " + shown + "): the forecast's read failed")
        .doesNotContain("\u001b", "\u202e");
  }

  // ------------------------------------------------------------------ the deadline

  private static final Function<InvokeEndpointRequest, InvokeEndpointResponse> ASLEEP = r -> {
    throw service(503, "ServiceUnavailable", "try later");
  };

  private static Duration callTimeout(software.amazon.awssdk.core.SdkRequest request) {
    return request.overrideConfiguration().orElseThrow().apiCallTimeout().orElseThrow();
  }

  @Test
  void theImageIsStoredWithinTheTimeLeftLessWhatTheForecastAndTheLedgerKeep() {
    // What a full 20 s InvokeEndpoint leaves of the function's Timeout.
    deadline = new RequestDeadline(() -> Duration.ofSeconds(StackSpec.API_TIMEOUT_SECONDS)
        .minus(ClassifyRoute.INVOKE_TIMEOUT)
        .toMillis());

    assertThat(post(PNG, ASLEEP).status()).isEqualTo(202);

    assertThat(puts)
        .singleElement()
        .satisfies(p -> assertThat(callTimeout(p)).isEqualTo(Duration.ofMillis(5_500)));
    assertThat(readTimeouts).containsExactly(Duration.ofMillis(7_500));
  }

  @Test
  void anImageTheDeadlineLeftNoTimeToStoreIsA503WithRetryAfterThatSaysItWasNotStored() {
    deadline = new RequestDeadline(() -> 600);

    ApiResponse response = post(PNG, ASLEEP);

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.headers()).containsEntry("retry-after", "30");
    assertThat(JsonText.string(json(response), "message"))
        .endsWith("storing the image was not started: 600 ms of this invocation remained,"
            + " less than the 250 ms a call is given plus the 500 ms kept at its end: the image"
            + " was not stored; send it again");
    assertThat(puts).isEmpty();
  }

  @Test
  void aStoreCutAtTheDeadlineIsA504WithRetryAfterThatSaysTheImageMayBeStored() {
    deadline = new RequestDeadline(() -> 9_000);
    storeFailure = ApiCallTimeoutException.create(5_500);

    ApiResponse response = post(PNG, ASLEEP);

    assertThat(response.status()).isEqualTo(504);
    assertThat(response.headers()).containsEntry("retry-after", "30");
    assertThat(JsonText.string(json(response), "message"))
        .contains("was cut after 5500 ms, to answer before this request's deadline: S3 did not"
            + " confirm it, so it may or may not be stored (GET /results/api/");
  }

  @Test
  void aForecastCutAtTheDeadlineLeavesTheStoredImageQueuedWithoutOneAndTheFixedRetryAfter() {
    deadline = new RequestDeadline(() -> 9_000);
    readFailure = ApiCallTimeoutException.create(7_500);

    ApiResponse response = post(PNG, ASLEEP);

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.headers())
        .as("no forecast: the fixed wait, after which GET /results/KEY has one")
        .containsEntry("retry-after", "30");
    assertThat(JsonText.string(json(response), "reason"))
        .endsWith("the image waits in the queue: no forecast, reading the stack for a forecast"
            + " was cut to answer before this request's deadline");
    assertThat(stored).hasSize(1);
  }

  @Test
  void aForecastThatCannotBeReadLeavesTheStoredImageQueuedWithoutOneAndTheFixedRetryAfter() {
    readFailure = SdkClientException.create("Unable to execute HTTP request: Connection reset");

    ApiResponse response = post(PNG, ASLEEP);

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.headers())
        .as("no forecast: the fixed wait, after which GET /results/KEY has one")
        .containsEntry("retry-after", "30");
    assertThat(JsonText.string(json(response), "reason"))
        .endsWith("no forecast, the forecast's read of the stack could not reach AWS"
            + " (SdkClientException: no answer, or not one the SDK could read); the API function's"
            + " log has AWS's answer");
  }

  @Test
  void aForecastReadAwsRefusedSaysSoWithoutTheAccountAndLogsAwsAnswer() {
    String said = AwsAnswers.denied(
        "offhours-ApiRole",
        "sqs:getqueueattributes",
        "arn:aws:sqs:us-east-1:123456789012:offhours-queue");
    readFailure =
        AwsAnswers.refusal(SqsException.builder(), 400, "41d0", "AccessDenied", said, "Sqs");
    ApiResponse response = post(PNG, ASLEEP);

    assertThat(response.status()).isEqualTo(202);
    assertThat(JsonText.string(json(response), "reason"))
        .endsWith("no forecast, the forecast's read of the stack was refused: the API function's"
            + " role may not call sqs:getqueueattributes (AccessDenied, HTTP 400); check its policy"
            + " in the stack's template and that the resource is the stack's; the API function's log"
            + " has AWS's answer");
    assertThat(JsonText.string(json(response), "reason")).doesNotContain("123456789012", "arn:");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains(
            "the forecast's read failed; AWS's answer: AccessDenied (HTTP 400, request 41d0): "
                + said);
  }

  @Test
  void invokeEndpointIsCutToLeaveTheQueuePathItsNineSeconds() {
    deadline = new RequestDeadline(() -> 15_000);

    assertThat(post(PNG, ASLEEP).status()).isEqualTo(202);

    assertThat(invocations)
        .singleElement()
        .satisfies(i -> assertThat(callTimeout(i)).isEqualTo(Duration.ofMillis(6_000)));
  }

  @Test
  void invokeEndpointKeepsItsTwentySecondsWhenTheFullTimeoutRemains() {
    deadline = new RequestDeadline(() -> StackSpec.API_TIMEOUT_SECONDS * 1_000L);

    post(PNG, ASLEEP);

    assertThat(invocations)
        .singleElement()
        .satisfies(i -> assertThat(callTimeout(i)).isEqualTo(ClassifyRoute.INVOKE_TIMEOUT));
  }

  @Test
  void withNoTimeLeftTheEndpointIsNotAskedAndTheAnswerSaysTheImageWasNotStored() {
    deadline = new RequestDeadline(() -> 600);

    ApiResponse response = post(PNG, ASLEEP);

    assertThat(invocations).isEmpty();
    assertThat(response.status()).isEqualTo(503);
    assertThat(JsonText.string(json(response), "message"))
        .startsWith("the endpoint cannot answer now (InvokeEndpoint was not started: 600 ms");
  }

  @Test
  void theLedgerWriteIsCutBeforeTheDeadlineLessTheEndOfTheInvocation() {
    deadline = new RequestDeadline(() -> 9_000);

    assertThat(
            post(SERVERLESS, PNG, r -> answer("[0.02, 0.01, 0.9, 0.02, 0.05]")).status())
        .isEqualTo(200);

    assertThat(ledger.transactions)
        .singleElement()
        .satisfies(t -> assertThat(callTimeout(t).toMillis())
            .as("8.5 s less the moments the add itself took")
            .isBetween(8_000L, 8_500L));
  }

  private ApiResponse post(
      byte[] body, Function<InvokeEndpointRequest, InvokeEndpointResponse> endpoint) {
    return post(ApiFixtures.config(), body, endpoint);
  }

  private ApiResponse post(
      ApiConfig config,
      byte[] body,
      Function<InvokeEndpointRequest, InvokeEndpointResponse> endpoint) {
    SageMakerRuntimeClient runtime = ApiFixtures.invokeEndpoint(request -> {
      invocations.add(request);
      return endpoint.apply(request);
    });
    S3Client s3 = ApiFixtures.putObject((request, content) -> {
      puts.add(request);
      if (storeFailure != null) {
        throw storeFailure;
      }
      try (var in = content.contentStreamProvider().newStream()) {
        stored.add(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return PutObjectResponse.builder().eTag("\"e\"").build();
    });
    ClassifyRoute route = new ClassifyRoute(
        config,
        s3,
        new InferenceClient(
            runtime, config.controller().endpointName(), config.controller().model()),
        new UsageLedger(ledger, config.usage(), Clock.fixed(now, ZoneOffset.UTC), (n, ms, e) -> {
          throw new AssertionError("the ledger write failed", e);
        }),
        timeout -> {
          readTimeouts.add(timeout.get());
          if (readFailure != null) {
            throw readFailure;
          }
          return ApiFixtures.seen(now);
        },
        Clock.fixed(now, ZoneOffset.UTC),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    return route.handle(
        new ApiRequest(
            "POST", "/classify", "POST /classify", Map.of(), Map.of(), headers(), body, requestId),
        deadline);
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new java.util.HashMap<>(Map.of(
        "host",
        "a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com",
        "x-forwarded-proto",
        forwardedProto));
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    return headers;
  }

  private static InvokeEndpointResponse answer(String json) {
    return InvokeEndpointResponse.builder()
        .contentType("application/json")
        .body(SdkBytes.fromUtf8String(json))
        .build();
  }

  private static SageMakerRuntimeException service(int status, String code, String message) {
    return (SageMakerRuntimeException) SageMakerRuntimeException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode(code)
            .errorMessage(message)
            .serviceName("SageMaker Runtime")
            .build())
        .message(message)
        .build();
  }

  private static ModelErrorException modelError(int original, String message) {
    return (ModelErrorException) ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(original)
        .originalMessage(message)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ModelError")
            .errorMessage(
                "Received error (" + original + ") from primary with message \"" + message + "\"")
            .build())
        .build();
  }

  private static JsonNode json(ApiResponse response) {
    return JsonText.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] read(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
