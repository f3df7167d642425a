package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import offhours.testing.AwsAnswers;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * GET /status whose read AWS refused answers in offhours' words (the call, the error code and status, what to do), not
 * with AWS's message, which names the account and the API function's role to anyone who may call GET /status; the
 * function's log has AWS's answer, as POST /classify's does.
 */
class ApiAwsFailureTest {

  private static final String DENIED =
      "User: arn:aws:sts::123456789012:assumed-role/offhours-ApiRole-Q9/"
          + "offhours-Api is not authorized to perform: sqs:getqueueattributes on resource:"
          + " arn:aws:sqs:us-east-1:123456789012:offhours-queue because no identity-based policy allows"
          + " the sqs:getqueueattributes action";

  private final QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());

  @Test
  void anAccessDeniedIsABadGatewayInOffhoursWordsAndAwsAnswerGoesToTheLogOnly() {
    sqs.failWith =
        AwsAnswers.refusal(SqsException.builder(), 400, "3b7c", "AccessDenied", DENIED, "Sqs");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    ApiResponse response = statusLogging(log);

    assertThat(response.status()).isEqualTo(502);
    assertThat(message(response))
        .isEqualTo("Sqs call for GET /status was refused: the API function's role may not call"
            + " sqs:getqueueattributes (AccessDenied, HTTP 400); check its policy in the stack's"
            + " template and that the resource is the stack's; the API function's log has AWS's"
            + " answer");
    assertThat(response.body()).doesNotContainPattern("\\d{12}").doesNotContain("arn:", "ApiRole");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("offhours api: GET /status failed (request req-1); AWS's answer: AccessDenied"
            + " (HTTP 400, request 3b7c): " + DENIED);
  }

  @Test
  void aThrottleIsAServiceUnavailableThatSaysToAskAgain() {
    sqs.failWith = AwsAnswers.refusal(
        SqsException.builder(), 400, null, "ThrottlingException", "Rate exceeded", "Sqs");

    ApiResponse response = statusLogging(new ByteArrayOutputStream());

    assertThat(response.status()).isEqualTo(503);
    assertThat(message(response))
        .startsWith("Sqs call for GET /status was throttled (ThrottlingException, HTTP 400)")
        .endsWith("; try again in a few seconds");
  }

  @Test
  void noAnswerIsABadGatewayThatSaysToTryAgainShortly() {
    sqs.failWith = SdkClientException.create("Unable to execute HTTP request: sqs.example");

    ApiResponse response = statusLogging(new ByteArrayOutputStream());

    assertThat(response.status()).isEqualTo(502);
    assertThat(message(response))
        .isEqualTo("an AWS call for GET /status could not reach AWS (SdkClientException: no answer,"
            + " or not one the SDK could read); the API function's log has AWS's answer; try again"
            + " shortly");
  }

  /** GET /status, the API's log lines written to {@code log}. */
  private ApiResponse statusLogging(ByteArrayOutputStream log) {
    Api api = new Api(
        ApiFixtures.unused(S3Client.class),
        sqs,
        new FakeDynamoDb(),
        ApiFixtures.unused(SageMakerRuntimeClient.class),
        ApiFixtures.config(),
        Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    return api.handle(
        new ApiRequest(
            "GET", "/status", "GET /status", Map.of(), Map.of(), Map.of(), new byte[0], "req-1"),
        () -> 20_000);
  }

  private static String message(ApiResponse response) {
    return JsonText.string(
        JsonText.parse(response.body().getBytes(StandardCharsets.UTF_8)), "message");
  }
}
