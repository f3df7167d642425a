package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.BUCKET;
import static offhours.classify.ClassifyHandlerTest.config;
import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.failures;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import offhours.classify.Fakes.FakeRuntime;
import offhours.classify.Fakes.FakeS3;
import offhours.classify.Fakes.FakeSqs;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
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
    runtime.answer = r -> {
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
    };
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
}
