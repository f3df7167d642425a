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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.Function;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * The API function's own lines (a route that failed, POST /classify's failed calls, what became of its invocations in
 * the ledger) go to the output the API is given, never past it to the JVM's standard output: local mode gives its
 * execution environment's, which falls silent once the environment has ended, as a Lambda environment shut down logs
 * nothing; on Lambda it is standard output. As Classify's and the controller's lines.
 */
class ApiOutputTest {

  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(written, true, StandardCharsets.UTF_8);

  private final QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());
  private final FakeDynamoDb dynamo = new FakeDynamoDb();

  @Test
  void aRouteThatFailedIsSaidThere() {
    sqs.failWith = SdkClientException.create("Unable to execute HTTP request: sqs.example");
    assertThat(api(ApiFixtures.config(), r -> answer()).handle(status()).status())
        .isEqualTo(502);
    sqs.failWith = new IllegalStateException("a bug");
    assertThat(api(ApiFixtures.config(), r -> answer()).handle(status()).status())
        .isEqualTo(500);

    assertThat(lines())
        .containsExactly(
            "offhours api: GET /status failed (request req-1); AWS's answer: nothing"
                + " (SdkClientException: Unable to execute HTTP request: sqs.example)",
            "offhours api: GET /status failed (request req-1): java.lang.IllegalStateException:"
                + " a bug");
  }

  @Test
  void aFailedInvokeEndpointAndAForecastNotReadAreSaidThereToo() {
    sqs.failWith = SdkClientException.create("Unable to execute HTTP request: sqs.example");
    Api api = api(ApiFixtures.config(), r -> {
      throw SageMakerRuntimeException.builder()
          .statusCode(503)
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("ServiceUnavailable")
              .errorMessage("try later")
              .serviceName("SageMaker Runtime")
              .build())
          .message("try later")
          .build();
    });

    assertThat(api.handle(classify()).status()).isEqualTo(202);

    assertThat(lines())
        .containsExactly(
            "offhours api: POST /classify (request req-1): InvokeEndpoint failed (UNAVAILABLE);"
                + " SageMaker's answer: ServiceUnavailable (HTTP 503): try later",
            "offhours api: POST /classify (request req-1): the forecast's read failed; AWS's"
                + " answer: nothing (SdkClientException: Unable to execute HTTP request:"
                + " sqs.example)");
  }

  @Test
  void anInvocationTheLedgerDidNotCountIsSaidThereToo() {
    dynamo.failWith = new IllegalStateException("throttled");
    Api api = api(
        ApiFixtures.config(Map.of("HOSTING", "serverless", "SERVERLESS_MEMORY_MB", "2048")),
        r -> answer());

    assertThat(api.handle(classify()).status()).isEqualTo(200);

    assertThat(lines())
        .singleElement()
        .asString()
        .startsWith("offhours api: ledger not updated: 1 invocation, ")
        .endsWith(" lost: java.lang.IllegalStateException: throttled");
  }

  private java.util.List<String> lines() {
    return written.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private Api api(
      ApiConfig config, Function<InvokeEndpointRequest, InvokeEndpointResponse> endpoint) {
    SageMakerRuntimeClient runtime = ApiFixtures.invokeEndpoint(endpoint);
    S3Client s3 = ApiFixtures.putObject(
        (request, content) -> PutObjectResponse.builder().eTag("\"e\"").build());
    return new Api(s3, sqs, dynamo, runtime, config, Clock.fixed(NOW, ZoneOffset.UTC), out);
  }

  private static InvokeEndpointResponse answer() {
    return InvokeEndpointResponse.builder()
        .contentType("application/json")
        .body(SdkBytes.fromUtf8String("[0.02, 0.01, 0.9, 0.02, 0.05]"))
        .build();
  }

  private static ApiRequest status() {
    return new ApiRequest(
        "GET", "/status", "GET /status", Map.of(), Map.of(), Map.of(), new byte[0], "req-1");
  }

  private static ApiRequest classify() {
    try {
      return new ApiRequest(
          "POST",
          "/classify",
          "POST /classify",
          Map.of(),
          Map.of(),
          Map.of(
              "host",
              "a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com",
              "x-forwarded-proto",
              "https"),
          Files.readAllBytes(Path.of("src/test/resources/images/chelsea.png")),
          "req-1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
