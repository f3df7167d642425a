package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.RawUtf8Request;
import offhours.testing.SigV4;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local Lambda's API (Invoke, event source mappings) answers only requests signed with its stack's credentials,
 * addressed to its own port and not sent by a web page: before, any local process could start or stop the endpoint
 * through the controller, or enable the trigger.
 */
class LocalLambdaAuthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  // Never called: no mapping is created here.
  private final SqsClient sqs = UnusedSqs.client();
  private final LocalLambda local = LocalLambda.builder(sqs).start();
  private final AtomicInteger runs = new AtomicInteger();

  LocalLambdaAuthTest() {
    local.registerJsonFunction(
        "offhours-controller",
        (event, context) -> Map.of("run", runs.incrementAndGet()),
        Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    local.close();
    sqs.close();
  }

  private LambdaClient client(AwsBasicCredentials credentials) {
    return AwsClients.local(Region.US_EAST_1, credentials, Map.of(Service.LAMBDA, local.endpoint()))
        .build(
            Service.LAMBDA,
            LambdaClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  private URI invocations() {
    return local.endpoint().resolve("/2015-03-31/functions/offhours-controller/invocations");
  }

  @Test
  void theStackCredentialsInvokeTheFunction() {
    try (LambdaClient lambda = client(local.credentials())) {
      assertThat(lambda
              .invoke(r -> r.functionName("offhours-controller")
                  .payload(SdkBytes.fromUtf8String("{\"action\":\"start\"}")))
              .payload()
              .asUtf8String())
          .isEqualTo("{\"run\":1}");
    }
  }

  @Test
  void anUnsignedInvokeDoesNotRunTheFunction() throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(invocations())
            .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"stop\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("MissingAuthenticationTokenException");
    assertThat(runs).hasValue(0);
  }

  @Test
  void otherCredentialsAreUnrecognizedAndAGuessedSecretIsAnInvalidSignature() {
    try (LambdaClient other = client(AwsBasicCredentials.create("offhours", "offhours"));
        LambdaClient guessed =
            client(AwsBasicCredentials.create(local.credentials().accessKeyId(), "guess"))) {
      assertThatThrownBy(
              () -> other.listEventSourceMappings(r -> r.functionName("offhours-controller")))
          .isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
          });
      assertThatThrownBy(() -> guessed.invoke(r -> r.functionName("offhours-controller")))
          .isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
          });
    }
    assertThat(runs).hasValue(0);
  }

  private HttpResponse<String> signedPost(URI uri, String body) throws Exception {
    return HTTP.send(
        SigV4.post(
            uri,
            Map.of("Content-Type", "application/json"),
            body,
            local.credentials(),
            "us-east-1",
            "lambda"),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPayloadThatIsNotAJsonObjectIsRefusedInLambdasWordsNotDropped() throws Exception {
    // Before, the parse error left the handler and the server closed the connection unanswered.
    Map<String, String> payloads = Map.of(
        "not json",
        "Could not parse request body into json: Unrecognized token 'not'",
        "{",
        "Could not parse request body into json: Unexpected end-of-input",
        "[".repeat(100_000) + "]".repeat(100_000),
        "Could not parse request body into json: Document nesting depth (1001) exceeds",
        "[1,2]",
        "the local Lambda's functions take a JSON object; the payload is a JSON array",
        "\"s\"",
        "the local Lambda's functions take a JSON object; the payload is a JSON string");
    for (Map.Entry<String, String> payload : payloads.entrySet()) {
      HttpResponse<String> response = signedPost(invocations(), payload.getKey());
      String shown = payload.getKey().substring(0, Math.min(10, payload.getKey().length()));
      assertThat(response.statusCode()).as(shown).isEqualTo(400);
      assertThat(response.headers().firstValue("x-amzn-ErrorType"))
          .as(shown)
          .hasValue("InvalidRequestContentException");
      assertThat(response.body()).as(shown).contains(payload.getValue());
    }
    HttpResponse<String> mapping =
        signedPost(local.endpoint().resolve("/2015-03-31/event-source-mappings"), "not json");
    assertThat(mapping.statusCode()).isEqualTo(400);
    assertThat(mapping.body()).contains("Could not parse request body into json");
    assertThat(runs).hasValue(0);
  }

  @Test
  void aFunctionNameOrPathOfNoOperationIsQuotedEscapedAndCut() throws Exception {
    HttpResponse<String> unknown = signedPost(
        local.endpoint().resolve("/2015-03-31/functions/f%0A%1B%5B2J%00/invocations"), "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .contains("Function not found: f\\\\x0a\\\\x1b[2J\\\\x00")
        .doesNotContain("\\u001b", "\\n");
    assertThat(signedPost(
                local
                    .endpoint()
                    .resolve("/2015-03-31/functions/" + "f".repeat(5000) + "/invocations"),
                "{}")
            .body())
        .contains("Function not found: " + "f".repeat(60) + "... (5000 characters)");
    assertThat(signedPost(local.endpoint().resolve("/" + "p".repeat(4999)), "{}")
            .body())
        .contains("; not POST /" + "p".repeat(59) + "... (5000 characters)");
  }

  @Test
  void aPathOfNoOperationIsAnsweredInLambdasShapeNotTheJdksHtml() throws Exception {
    HttpResponse<String> response = signedPost(local.endpoint().resolve("/"), "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    assertThat(response.body())
        .doesNotContain("<h1>")
        .contains("offhours' local Lambda serves Invoke (/2015-03-31/functions/NAME/invocations)"
            + " and the event source mapping API (/2015-03-31/event-source-mappings); not POST /");
    // The guard stands before it as before the operations.
    assertThat(HTTP.send(
                HttpRequest.newBuilder(local.endpoint().resolve("/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode())
        .isEqualTo(403);
  }

  @Test
  void aSignedInvokeWhoseTargetNamesAnotherHostIsRefused() throws Exception {
    // RFC 9112 section 3.2.2: a request line's absolute-form target names the host the request is
    // for, whatever Host says. Before, this one ran the function.
    int port = local.endpoint().getPort();
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
    headers.putAll(SigV4.headers(
        "POST",
        invocations(),
        Map.copyOf(headers),
        body,
        local.credentials(),
        "us-east-1",
        "lambda",
        Clock.systemUTC()));

    RawUtf8Request absolute = RawUtf8Request.send(
        port, "POST", "http://evil.example" + invocations().getRawPath(), headers, body);

    assertThat(absolute.status()).isEqualTo(403);
    assertThat(absolute.head()).containsIgnoringCase("x-amzn-ErrorType: AccessDeniedException");
    assertThat(absolute.body())
        .contains("the local Lambda refuses this request: the request's target names a scheme or"
            + " host ('http://evil.example')");
    assertThat(runs).hasValue(0);
    assertThat(RawUtf8Request.send(port, "POST", invocations().getRawPath(), headers, body)
            .status())
        .as("the same request with its path alone")
        .isEqualTo(200);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aSignedInvokeFromAWebPageIsRefused() throws Exception {
    HttpRequest signed = SigV4.post(
        invocations(),
        Map.of("Content-Type", "application/json"),
        "{}",
        local.credentials(),
        "us-east-1",
        "lambda");

    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(signed, (name, value) -> true)
            .header("Origin", "http://attacker.example")
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
    assertThat(runs).hasValue(0);
  }
}
