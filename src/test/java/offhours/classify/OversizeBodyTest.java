package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.BUCKET;
import static offhours.classify.ClassifyHandlerTest.config;
import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.failures;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import offhours.classify.Fakes.FakeRuntime;
import offhours.classify.Fakes.FakeS3;
import offhours.classify.Fakes.FakeSqs;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The minutes after a stack switched from Hosting=serverless to another hosting: the new Classify lets images up to 6
 * MB through (MAX_IMAGE_BYTES), while the endpoint under the stack's name is still the serverless one, which takes 4
 * MB and answers a larger body with ValidationError "Request ... has oversize body."
 * (https://github.com/aws/sagemaker-python-sdk/issues/4271). The image is not at fault: it waits, and no result
 * blames it.
 */
class OversizeBodyTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:05Z");
  static final int SERVERLESS_LIMIT = 4 * 1024 * 1024;

  final FakeS3 s3 = new FakeS3();
  final FakeSqs sqs = new FakeSqs();
  final FakeDynamoDb dynamo = new FakeDynamoDb();
  final FakeRuntime runtime = new FakeRuntime();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  /** A JPEG of {@code size} bytes: rocket.jpg padded, as a camera's large file would be. */
  static byte[] jpeg(int size) {
    return Arrays.copyOf(image("rocket.jpg"), size);
  }

  @Test
  void
      anImageOverTheServerlessEndpointsLimitWaitsWithoutAVerdictAndSmallerOnesAreStillClassified() {
    byte[] large = jpeg(5 * 1024 * 1024);
    byte[] small = image("rocket.jpg");
    s3.put(BUCKET, "large.jpg", large, "e1").put(BUCKET, "small.jpg", small, "e2");
    runtime.answer = OversizeBodyTest::serverless;
    ClassifyHandler handler = new ClassifyHandler(
        s3,
        sqs,
        dynamo,
        runtime,
        config("BATCH_CONCURRENCY", "1"),
        Clock.fixed(NOW, ZoneOffset.UTC));

    var response = LambdaSqsJson.invoke(
        handler,
        event(
            message("m1", notification("large.jpg", large.length, "e1", "")),
            message("m2", notification("small.jpg", small.length, "e2", ""))));

    assertThat(failures(response)).isEmpty();
    assertThat(dynamo.all())
        .as("no result for the large image, the small one classified")
        .singleElement()
        .satisfies(
            item -> assertThat(item.get("pk").s()).isEqualTo("s3://" + BUCKET + "/small.jpg"))
        .satisfies(item -> assertThat(item.get("status").s()).isEqualTo("CLASSIFIED"));
    assertThat(sqs.sent)
        .as("the large image's message comes back later as a delayed copy")
        .singleElement()
        .satisfies(copy -> assertThat(copy.messageBody()).contains("large.jpg"));
  }

  /** What a serverless endpoint answers: an image up to 4 MB is classified, a larger one refused. */
  static String serverless(InvokeEndpointRequest r) {
    if (r.body().asByteArrayUnsafe().length > SERVERLESS_LIMIT) {
      throw (ValidationErrorException) ValidationErrorException.builder()
          .statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("ValidationError")
              .errorMessage("Request 7c3f0e2a-5b1d-4c8e-9f60-2d7a1b3c4e5f has oversize body.")
              .build())
          .build();
    }
    return "[0.1, 0.7, 0.05, 0.1, 0.05]";
  }

  /** The 5 MB image's notification, as a copy that carries these counts, run with MAX_DEFERRALS 3. */
  SQSBatchResponse runLarge(Map<String, String> counts) {
    byte[] large = jpeg(5 * 1024 * 1024);
    s3.put(BUCKET, "large.jpg", large, "e1");
    runtime.answer = OversizeBodyTest::serverless;
    SQSEvent.SQSMessage m = message("m1", notification("large.jpg", large.length, "e1", ""));
    Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
    counts.forEach(
        (name, value) -> attributes.put(name, DeferralsTest.number(Long.parseLong(value))));
    m.setMessageAttributes(attributes);
    ClassifyHandler handler = new ClassifyHandler(
        s3,
        sqs,
        dynamo,
        runtime,
        config("MAX_DEFERRALS", "3"),
        Clock.fixed(NOW, ZoneOffset.UTC),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    return LambdaSqsJson.invoke(handler, event(m));
  }

  @Test
  void anOversizeRefusalDoesNotSpendTheDeferralBudgetSoASwitchSendsNoValidImageToTheDlq() {
    // The endpoint was unavailable as often as MAX_DEFERRALS allows (a long switch: the old
    // endpoint in the way, the new one being created); the serverless endpoint then refuses it.
    SQSBatchResponse response = runLarge(Map.of("offhours-deferrals", "3"));

    assertThat(failures(response)).as("not walked toward the DLQ").isEmpty();
    assertThat(dynamo.all()).as("no verdict").isEmpty();
    assertThat(sqs.sent).singleElement().satisfies(copy -> {
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .as("carried, not incremented")
          .isEqualTo("3");
      assertThat(copy.messageAttributes().get("offhours-oversize").stringValue())
          .as("counted apart")
          .isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferral-reason").stringValue())
          .as("in offhours' words, not SageMaker's (which names the request)")
          .contains("the endpoint refused the image as over its payload limit")
          .doesNotContain("has oversize body");
    });
  }

  @Test
  void anEndpointThatKeepsRefusingTheImageAsOversizeEndsTheLoopInTheDlqAfterItsOwnBudget() {
    SQSBatchResponse response = runLarge(Map.of("offhours-oversize", "3"));

    assertThat(failures(response))
        .as("retried through SQS receives, toward the DLQ")
        .containsExactly("m1");
    assertThat(sqs.sent).as("no more copies").isEmpty();
    assertThat(dynamo.all()).as("no verdict").isEmpty();
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("refused 3 times by the endpoint as over its payload limit, as many as"
            + " MAX_DEFERRALS allows (apart from deferrals for an unavailable endpoint)")
        .contains("has oversize body");
  }
}
