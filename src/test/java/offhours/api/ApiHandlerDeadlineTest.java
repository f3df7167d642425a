package offhours.api;

import static offhours.testing.LambdaContexts.remaining;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The Lambda handler gives POST /classify the invocation's deadline from its context. */
class ApiHandlerDeadlineTest {

  private final SageMakerRuntimeClient unavailable = ApiFixtures.invokeEndpoint(request -> {
    throw SageMakerRuntimeException.builder()
        .statusCode(503)
        .message("try later")
        .build();
  });

  @Test
  void anImageTheInvocationHasNoTimeLeftToStoreIsA503WithRetryAfter() throws IOException {
    HttpEvents.Reply reply = postClassify(
        ApiFixtures.unused(S3Client.class),
        ApiFixtures.unused(SqsClient.class),
        new FakeDynamoDb(),
        600);

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.headers()).containsEntry("retry-after", "30");
    assertThat(JsonText.string(JsonText.parse(reply.body()), "message"))
        .contains("the image was not stored; send it again");
  }

  /**
   * Every read of the forecast goes through {@link BoundedReads}, which answers only the calls it knows: one it did
   * not would fail the queue path with a 500.
   */
  @Test
  void theQueuePathsForecastReadsAllPassThroughTheDeadlinesView() throws IOException {
    List<software.amazon.awssdk.awscore.AwsRequest> reads = new ArrayList<>();
    FakeDynamoDb dynamo =
        new FakeDynamoDb(); // answers GetItem and Query, as the control table asks
    SqsClient sqs = new QueueAttributesSqs(reads);
    S3Client s3 = ApiFixtures.putObject((request, body) -> {
      reads.add(request);
      return PutObjectResponse.builder().build();
    });

    HttpEvents.Reply reply = postClassify(s3, sqs, dynamo, 9_000);

    assertThat(reply.status()).as(new String(reply.body())).isEqualTo(202);
    assertThat(JsonText.string(JsonText.parse(reply.body()), "reason"))
        .doesNotContain("no forecast");
    assertThat(reads)
        .as("the PutObject, then the queues' GetQueueAttributes")
        .hasSizeGreaterThan(1)
        .allSatisfy(r ->
            assertThat(r.overrideConfiguration().orElseThrow().apiCallTimeout()).isPresent());
  }

  /**
   * The handler's reply to the fixture's POST /classify with {@code millis} of the invocation left, SageMaker
   * unavailable (so the image goes to the queue path).
   */
  private HttpEvents.Reply postClassify(S3Client s3, SqsClient sqs, FakeDynamoDb dynamo, int millis)
      throws IOException {
    Api api = new Api(
        s3,
        sqs,
        dynamo,
        unavailable,
        ApiFixtures.config(),
        Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ApiHandler(api)
        .handleRequest(
            new ByteArrayInputStream(
                Files.readAllBytes(Path.of("events", "api-post-classify.json"))),
            out,
            remaining(millis));
    return HttpEvents.response(out.toByteArray());
  }
}
