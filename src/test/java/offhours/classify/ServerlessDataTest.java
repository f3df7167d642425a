package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.BUCKET;
import static offhours.classify.ClassifyHandlerTest.config;
import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import offhours.classify.Fakes.FakeRuntime;
import offhours.classify.Fakes.FakeS3;
import offhours.classify.Fakes.FakeSqs;
import offhours.inference.ProbeImage;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * Hosting serverless: the ledger's {@code invocationBytes} counts the data of every billed invocation both ways, the
 * image sent and the body InvokeEndpoint answered as Classify receives it
 * (https://aws.amazon.com/sagemaker/pricing/, Serverless Inference: data processed in and out).
 */
class ServerlessDataTest {
  static final byte[] ROCKET = image("rocket.jpg");

  final FakeS3 s3 = new FakeS3().put(BUCKET, "a.jpg", ROCKET, "e1");
  final FakeDynamoDb dynamo = new FakeDynamoDb();
  final FakeRuntime runtime = new FakeRuntime();

  /** The bytes one batch of a.jpg added to the ledger, or null when it wrote nothing. */
  String bytesRecorded() {
    ClassifyHandler handler = new ClassifyHandler(
        s3,
        new FakeSqs(),
        dynamo,
        runtime,
        config(
            "HOSTING",
            "serverless",
            "CONTROL_TABLE_NAME",
            "control",
            "SERVERLESS_MEMORY_MB",
            "2048"),
        Clock.fixed(Instant.parse("2026-11-25T10:00:05Z"), ZoneOffset.UTC),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    LambdaSqsJson.invoke(handler, event(message("m1", notification("a.jpg", 112525L, "e1", ""))));
    return dynamo.updates.isEmpty()
        ? null
        : dynamo
            .updates
            .getFirst()
            .expressionAttributeValues()
            .get(":invocationBytes")
            .n();
  }

  /** A ModelError as the SDK hands it over: the JSON body SageMaker answered is its raw response. */
  static ModelErrorException modelError(int originalStatus, String body) {
    return (ModelErrorException) ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(originalStatus)
        .originalMessage("the container's message")
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ModelError")
            .rawResponse(SdkBytes.fromUtf8String(body))
            .build())
        .build();
  }

  static String bytes(long... parts) {
    return Long.toString(java.util.Arrays.stream(parts).sum());
  }

  @Test
  void anAnswerCountsTheImageSentAndTheAnswerReceived() {
    String answer = "[0.1, 0.7, 0.05, 0.1, 0.05]";
    runtime.answer = r -> answer;
    assertThat(bytesRecorded()).isEqualTo(bytes(ROCKET.length, answer.length()));
  }

  @Test
  void anAnswerThatDoesNotFitTheModelsSettingsWasBilledAndCountsToo() {
    String answer = "{\"unexpected\": true}";
    runtime.answer = r -> answer;
    assertThat(bytesRecorded()).isEqualTo(bytes(ROCKET.length, answer.length()));
  }

  @Test
  void aModelErrorCountsTheErrorBodyReceived() {
    String body = "{\"ErrorCode\":\"CLIENT_ERROR_FROM_MODEL\",\"OriginalStatusCode\":500,"
        + "\"OriginalMessage\":\"worker died\"}";
    runtime.answer = r -> {
      throw modelError(500, body);
    };
    assertThat(bytesRecorded()).isEqualTo(bytes(ROCKET.length, body.length()));
  }

  @Test
  void aProbeSentAfterAModelsFourHundredCountsBothWaysToo() {
    String refusal = "{\"OriginalStatusCode\":400,\"OriginalMessage\":\"cannot read\"}";
    String answer = "[0.2, 0.2, 0.2, 0.2, 0.2]";
    runtime.answer = r -> {
      if (Fakes.probe(r)) {
        return answer;
      }
      throw modelError(400, refusal);
    };
    assertThat(bytesRecorded())
        .isEqualTo(
            bytes(ROCKET.length, refusal.length(), ProbeImage.bytes().length, answer.length()));
  }

  @Test
  void aThrottledInvocationIsNotBilledAndAddsNothing() {
    runtime.answer = r -> {
      throw ClassifyRulesTest.throttled();
    };
    assertThat(bytesRecorded()).isNull();
    assertThat(runtime.requests).as("the image was sent").isNotEmpty();
  }
}
